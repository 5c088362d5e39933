import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Progress } from './progress.js';
import { runScript } from './script.js';
import { Timings } from './timings.js';

function fakeScript(body: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'script-')), 'build.sh');
  writeFileSync(file, `set -e\n${body}\n`);
  return file;
}

function plainProgress() {
  let text = '';
  const progress = new Progress(
    { write: (s: string) => (text += s) },
    { tty: false, timings: new Timings(join(mkdtempSync(join(tmpdir(), 't-')), 't.json')) },
  );
  return { progress, text: () => text };
}

const logDir = mkdtempSync(join(tmpdir(), 'logs-'));

const stages = [
  { pattern: /^step one/, what: 'one' },
  { pattern: /^step two/, what: 'two' },
];

describe('runScript', () => {
  it('turns the stage lines into progress, sends the chatter to the log and resolves with the last stdout line', async () => {
    const p = plainProgress();
    const script = fakeScript(
      'echo "step one" >&2; echo "go: downloading x v1" >&2; echo "step two" >&2; echo /out/dir',
    );
    const dir = await runScript({
      task: 'fake',
      script,
      stages,
      logName: `fake-ok-${process.pid}`,
      progress: p.progress,
      logDir,
    });
    expect(dir).toBe('/out/dir');
    expect(p.text()).toContain('▸ fake [1/2] one');
    expect(p.text()).toContain('✓ fake [2/2] two');
    expect(p.text()).not.toContain('go: downloading');
    const logPath = /its output goes to (\S+)/.exec(p.text())![1]!;
    expect(readFileSync(logPath, 'utf8')).toContain('go: downloading x v1');
  });

  it('says "cached" when the script starts no stage', async () => {
    const p = plainProgress();
    await runScript({
      task: 'fake',
      script: fakeScript('echo /dir'),
      stages,
      logName: `fake-c-${process.pid}`,
      progress: p.progress,
      logDir,
    });
    expect(p.text()).toBe('✓ fake: cached\n');
  });

  it('on failure shows the last lines of the log and what to do', async () => {
    const p = plainProgress();
    const script = fakeScript('echo "step one" >&2; for i in $(seq 1 40); do echo "line $i" >&2; done; exit 3');
    await expect(
      runScript({
        task: 'fake',
        script,
        stages,
        logName: `fake-f-${process.pid}`,
        progress: p.progress,
        logDir,
        hint: 'try X',
      }),
    ).rejects.toThrow(/fake failed with exit code 3; full log: .*fake-f-/);
    expect(p.text()).toContain('✗ fake [1/2] one  failed after');
    expect(p.text()).toContain('    line 40');
    expect(p.text()).toContain('    line 16');
    expect(p.text()).not.toContain('    line 15\n');
    expect(p.text()).toContain('What to do: try X, then run the same command again');
  });
});
