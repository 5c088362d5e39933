// An agent pod that runs `puppet agent --test` in a loop until told to stop, and the reading of its log:
// one line per run with its start, end and exit code, so a test counts runs and failures over a window.
export const STOP_FILE = '/tmp/stop-agent-loop';

export interface AgentRun {
  n: number;
  /** Unix seconds. */
  start: number;
  end: number;
  rc: number;
  /** --detailed-exitcodes: 0 no changes, 2 changes; 1, 4, 6 a failed run or failed resources. */
  ok: boolean;
}

/**
 * The loop: each run's Notice and Error lines (the catalog's notify shows where the code came from), then
 * `agent-run n=.. start=.. end=.. rc=..`. `touch STOP_FILE` ends it after the current run; a run never
 * started after `maxSeconds` so a forgotten pod ends by itself.
 */
export function agentLoopScript(maxSeconds: number): string {
  return [
    'n=0; t0=$(date +%s)',
    `while [ ! -e ${STOP_FILE} ] && [ $(( $(date +%s) - t0 )) -lt ${maxSeconds} ]; do`,
    '  n=$((n+1)); start=$(date +%s)',
    '  puppet agent --test --color false --server "$SERVER" --ca_server "$CA_SERVER" --certname "$CERTNAME" --waitforcert 2 > /tmp/run.log 2>&1; rc=$?',
    '  grep -E "^(Notice|Error|Warning): " /tmp/run.log | grep -v "Applied catalog"',
    '  echo "agent-run n=$n start=$start end=$(date +%s) rc=$rc"',
    '  sleep 1',
    'done',
    'echo "agent-loop done after $n runs"',
  ].join('\n');
}

const RUN_LINE = /^agent-run n=(\d+) start=(\d+) end=(\d+) rc=(\d+)$/;

export function parseAgentRuns(log: string): AgentRun[] {
  return log.split('\n').flatMap((line) => {
    const m = RUN_LINE.exec(line.trim());
    if (!m) return [];
    const rc = Number(m[4]);
    return [{ n: Number(m[1]), start: Number(m[2]), end: Number(m[3]), rc, ok: rc === 0 || rc === 2 }];
  });
}

/** The log lines of run n (everything printed before its agent-run line, after the previous one). */
export function runOutput(log: string, n: number): string {
  const lines = log.split('\n');
  const end = lines.findIndex((l) => RUN_LINE.exec(l.trim())?.[1] === String(n));
  if (end < 0) return '';
  let start = end - 1;
  while (start >= 0 && !RUN_LINE.test((lines[start] ?? '').trim())) start--;
  return lines.slice(start + 1, end).join('\n');
}
