import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Progress, type ProgressOutput } from './progress.js';
import { Timings } from './timings.js';

function screen(tty: boolean, timingsFile = join(mkdtempSync(join(tmpdir(), 'progress-')), 't.json')) {
  let text = '';
  let now = 1_000_000;
  const out: ProgressOutput = { write: (s: string) => (text += s), isTTY: tty, columns: 200 };
  const progress = new Progress(out, { tty, timings: new Timings(timingsFile), now: () => now });
  return { progress, text: () => text, advance: (ms: number) => (now += ms), timingsFile };
}

describe('Progress', () => {
  it('prints a plain line when a stage starts and ends when not on a terminal', () => {
    const s = screen(false);
    const task = s.progress.task('kubernetes');
    task.stage(1, 2, 'resolving modules');
    s.advance(65_000);
    task.stage(2, 2, 'compiling');
    s.advance(3_000);
    task.fail();
    expect(s.text().split('\n')).toEqual([
      '▸ kubernetes [1/2] resolving modules',
      '✓ kubernetes [1/2] resolving modules  1m05s',
      '▸ kubernetes [2/2] compiling',
      '✗ kubernetes [2/2] compiling  failed after 3s',
      '',
    ]);
    expect(s.text()).not.toContain('\r');
  });

  it('marks the stages still running as failed when the step throws', () => {
    const s = screen(false);
    s.progress.task('control plane').stage(2, 4, 'kube-apiserver');
    s.advance(120_000);
    s.progress.failRunning();
    expect(s.text()).toContain('✗ control plane [2/4] kube-apiserver  failed after 2m00s');
  });

  it('estimates a stage from its last successful run, kept in the timings file', () => {
    const first = screen(false);
    const t = first.progress.task('images');
    t.stage(1, 1, 'pause');
    first.advance(42_000);
    t.done();
    const second = screen(false, first.timingsFile);
    second.progress.task('images').stage(1, 1, 'pause');
    expect(second.text()).toContain('▸ images [1/1] pause  (last run 42s)');
  });

  it('keeps one updating status line under the finished stages on a terminal', () => {
    const s = screen(true);
    const a = s.progress.task('kubernetes');
    const b = s.progress.task('node daemons');
    a.stage(1, 5, 'resolving modules');
    b.stage(1, 2, 'containerd');
    s.advance(10_000);
    expect(s.progress.statusLine()).toMatch(
      /kubernetes \[1\/5\] resolving modules 10s · node daemons \[1\/2\] containerd 10s$/,
    );
    b.done();
    s.progress.log('cluster: started etcd');
    a.done();
    s.progress.stop();
    const lines = s.text().split('\r\x1b[2K').filter(Boolean);
    // The start of a stage is not a line of its own on a terminal: the status line shows it.
    expect(lines.filter((l) => l.endsWith('\n'))).toEqual([
      '✓ node daemons [1/2] containerd  10s\n',
      'cluster: started etcd\n',
      '✓ kubernetes [1/5] resolving modules  10s\n',
    ]);
  });
});
