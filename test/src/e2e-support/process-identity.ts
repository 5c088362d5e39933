// A process is the same one only while its pid is alive with the start time it had: a crash, or a
// restart that happened to get the same pid back, changes that.
import { readFileSync } from 'node:fs';

/** `pid@starttime` from /proc/<pid>/stat (field 22, clock ticks after boot), or undefined when gone. */
export function processIdentity(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  if (state === 'Z' || state === 'X') return undefined; // exited, not yet reaped
  return `${pid}@${fields[19]}`;
}

/** Undefined while the process recorded as `identity` still runs; otherwise what became of it. */
export function processGone(identity: string): string | undefined {
  const pid = Number(identity.split('@')[0]);
  const now = processIdentity(pid);
  if (now === identity) return undefined;
  return now === undefined ? `process ${pid} exited` : `process ${pid} was replaced (${identity} is now ${now})`;
}
