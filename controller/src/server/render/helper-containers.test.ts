// The helper containers of a Server pod: crl-sync (non-CA pods) and ca-init (CA pods).
import { CRL_SYNC_SCRIPT, crlSyncContainer } from './crl-sync.js';

describe('crlSyncContainer', () => {
  it('is a native sidecar that holds the server back until the CRL file exists', () => {
    const c = crlSyncContainer({ image: 'img:1' });
    expect(c.restartPolicy).toBe('Always');
    expect(c.startupProbe?.exec?.command).toEqual(['test', '-s', '/ssl/crl.pem']);
    expect(c.volumeMounts).toEqual([
      { name: 'ssl', mountPath: '/ssl' },
      { name: 'ssl-ca-crl', mountPath: '/crl', readOnly: true },
    ]);
    expect(c.command).toEqual(['/bin/sh', '-c', CRL_SYNC_SCRIPT]);
    expect(c.securityContext?.capabilities?.drop).toEqual(['ALL']);
  });
});

describe('caInitContainer', () => {
  it('seeds an empty cadir once from the key and CRL Secrets, and leaves a seeded one alone', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, mkdirSync, readFileSync, writeFileSync, readdirSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { CA_INIT_SCRIPT, caInitContainer } = await import('./ca-init.js');
    const root = mkdtempSync(join(tmpdir(), 'ca-init-'));
    try {
      const keyDir = join(root, 'key');
      const crlDir = join(root, 'crl');
      const caDir = join(root, 'ca');
      mkdirSync(keyDir);
      mkdirSync(crlDir);
      for (const f of ['ca_crt.pem', 'ca_key.pem', 'ca_pub.pem']) writeFileSync(join(keyDir, f), f);
      writeFileSync(join(crlDir, 'ca_crl.pem'), 'crl');
      const run = () =>
        execFileSync('/bin/sh', ['-c', CA_INIT_SCRIPT], {
          env: { PATH: '/usr/bin:/bin', CA_DIR: caDir, CA_KEY_DIR: keyDir, CA_CRL_DIR: crlDir },
          encoding: 'utf8',
        });
      expect(run()).toContain('seeded');
      expect(readdirSync(caDir).sort()).toEqual([
        'ca_crl.pem',
        'ca_crt.pem',
        'ca_key.pem',
        'ca_pub.pem',
        'infra_crl.pem',
        'infra_inventory.txt',
        'infra_serials',
        'inventory.txt',
        'requests',
        'serial',
        'signed',
      ]);
      expect(readFileSync(join(caDir, 'serial'), 'utf8')).toBe('0001');
      writeFileSync(join(caDir, 'serial'), '0042');
      expect(run()).toContain('already holds a CA');
      expect(readFileSync(join(caDir, 'serial'), 'utf8')).toBe('0042');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    expect(caInitContainer({ image: 'img' }).volumeMounts?.map((m) => m.mountPath)).toEqual([
      '/ca',
      '/ca-key',
      '/ca-crl',
    ]);
  });
});
