// Runs a build script under a progress task: its output (the Go tool's `go: downloading` lines, apt, mmdebstrap)
// goes to a log file in the cache, the script's own stage lines become progress stages, and a failure
// shows the log's last lines and what to do.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { progress as defaultProgress, type Progress } from './progress.js';
import { TESTBIN_CACHE } from './timings.js';

export interface ScriptStage {
  /** Matched against each line the script writes to stderr. */
  pattern: RegExp;
  what: string;
}

export interface ScriptRun {
  /** The task's name in progress lines, e.g. `kubernetes`. */
  task: string;
  script: string;
  args?: string[];
  /** In the order the script reaches them; a stage that is cached is skipped, so steps may jump. */
  stages: ScriptStage[];
  /** Names the log file: <cache>/logs/<logName>.log. */
  logName: string;
  /** What to try when it fails, after the log's last lines. */
  hint?: string;
  progress?: Progress;
  /** Default: BUILD_LOGS. */
  logDir?: string;
}

const TAIL_LINES = 25;
export const BUILD_LOGS = join(TESTBIN_CACHE, 'logs');

/** The last `n` lines of a log file. */
export function tail(file: string, n = TAIL_LINES): string[] {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n);
  } catch {
    return [];
  }
}

/** Resolves with the last line the script printed on stdout (the build scripts print their output dir), or ''. */
export function runScript(run: ScriptRun): Promise<string> {
  const progress = run.progress ?? defaultProgress;
  const task = progress.task(run.task);
  const logDir = run.logDir ?? BUILD_LOGS;
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${run.logName}.log`);
  const fd = openSync(logFile, 'w');
  let worked = false;
  let partial = '';
  const onStderr = (chunk: Buffer) => {
    writeSync(fd, chunk);
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const index = run.stages.findIndex((s) => s.pattern.test(line));
      if (index < 0) continue;
      if (!worked) progress.log(`  ${run.task}: building, its output goes to ${logFile}`);
      worked = true;
      task.stage(index + 1, run.stages.length, run.stages[index]!.what);
    }
  };
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [run.script, ...(run.args ?? [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      writeSync(fd, chunk);
    });
    child.stderr.on('data', onStderr);
    child.on('error', (error) => {
      closeSync(fd);
      task.fail();
      reject(error);
    });
    child.on('close', (code) => {
      closeSync(fd);
      if (code === 0) {
        task.done();
        if (!worked) progress.log(`✓ ${run.task}: cached`);
        resolve(out.trim().split('\n').pop() ?? '');
        return;
      }
      task.fail();
      const lines = tail(logFile);
      progress.log(
        [
          `✗ ${run.task} failed (exit code ${code}); the last ${lines.length} lines of ${logFile}:`,
          ...lines.map((l) => `    ${l}`),
          `  What to do: ${run.hint ?? 'fix the cause shown above'}, then run the same command again (finished builds are cached).`,
        ].join('\n'),
      );
      reject(new Error(`${run.task} failed with exit code ${code}; full log: ${logFile}`));
    });
  });
}
