// What a benchmarked process costs, read from /proc: resident memory now and at its peak, and CPU time.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(kb) / 1024;
}

export const rssMiB = (pid: number): number => statusField(pid, 'VmRSS');

/** The highest RSS the process has had since it started. */
export const peakRssMiB = (pid: number): number => statusField(pid, 'VmHWM');

/** User plus system CPU seconds the process has used since it started. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** The median of a few samples over some seconds, so one GC pause does not decide the figure. */
export async function settledRss(pid: number, samples = 9): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < samples; i++) {
    values.push(rssMiB(pid));
    await sleep(1000);
  }
  return values.sort((a, b) => a - b)[Math.floor(samples / 2)]!;
}

/** CPU seconds used over `seconds` of wall time in which nothing is asked of the process. */
export async function idleCpuSeconds(pid: number, seconds: number): Promise<number> {
  const before = cpuSeconds(pid);
  await sleep(seconds * 1000);
  return cpuSeconds(pid) - before;
}
