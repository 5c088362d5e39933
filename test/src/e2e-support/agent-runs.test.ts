import { spawnSync } from 'node:child_process';
import { agentLoopScript, parseAgentRuns, runOutput } from './agent-runs.js';

const LOG = [
  'Notice: catalog from the code image for agent',
  'agent-run n=1 start=100 end=108 rc=2',
  'Error: Could not retrieve catalog from remote server: Connection refused',
  'agent-run n=2 start=109 end=111 rc=1',
  'agent-run n=3 start=112 end=120 rc=0',
  'agent-loop done after 3 runs',
].join('\n');

describe('agent runs', () => {
  it('reads each run, a detailed exit code of 0 or 2 as a good one', () => {
    expect(parseAgentRuns(LOG).map((r) => `${r.n}:${r.start}-${r.end}:${r.ok}`)).toEqual([
      '1:100-108:true',
      '2:109-111:false',
      '3:112-120:true',
    ]);
    expect(runOutput(LOG, 2)).toBe('Error: Could not retrieve catalog from remote server: Connection refused');
    expect(runOutput(LOG, 1)).toBe('Notice: catalog from the code image for agent');
  });

  it('is a loop sh can run: it ends by itself after maxSeconds', () => {
    // A stand-in `puppet` on PATH: the script is checked for syntax and its output format, not Puppet.
    const script = `puppet() { echo "Notice: fake run"; return 2; }\n${agentLoopScript(1)}`;
    const r = spawnSync('sh', ['-c', script], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(0);
    const runs = parseAgentRuns(r.stdout);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.every((x) => x.rc === 2 && x.ok)).toBe(true);
    expect(r.stdout).toContain('Notice: fake run');
  });
});
