import { mkdtempSync, readFileSync, readlinkSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeKubeletVolume } from './kubelet-volume.js';

describe('writeKubeletVolume', () => {
  it('projects files through ..data and swaps the target directory atomically on update', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-'));
    try {
      writeKubeletVolume(dir, { 'ca_crl.pem': 'one' });
      expect(readlinkSync(join(dir, 'ca_crl.pem'))).toBe('..data/ca_crl.pem');
      const first = realpathSync(join(dir, 'ca_crl.pem'));
      expect(readFileSync(join(dir, 'ca_crl.pem'), 'utf8')).toBe('one');
      writeKubeletVolume(dir, { 'ca_crl.pem': 'two' });
      expect(readFileSync(join(dir, 'ca_crl.pem'), 'utf8')).toBe('two');
      // the canonical path changed: this is what puppetserver's watcher does not follow
      expect(realpathSync(join(dir, 'ca_crl.pem'))).not.toBe(first);
      expect(readdirSync(dir).filter((n) => n.startsWith('..') && n !== '..data')).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
