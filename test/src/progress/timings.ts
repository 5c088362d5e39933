// How long each stage took on its last run, kept in the build cache outside the repo, so the next run can
// say "about 12m" for a stage that did real work last time.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The cache the build scripts share (test/cluster/go-cache.sh and the others). */
export const TESTBIN_CACHE = process.env.OPENVOX_TESTBIN_CACHE ?? join(homedir(), '.cache', 'openvox-testbin');

export class Timings {
  private readonly known: Record<string, number>;

  constructor(private readonly file = join(TESTBIN_CACHE, 'progress-timings.json')) {
    try {
      this.known = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
    } catch {
      this.known = {};
    }
  }

  lastMs(key: string): number | undefined {
    const v = this.known[key];
    return typeof v === 'number' ? v : undefined;
  }

  /** Records and saves at once (a run can stop at any moment); a failed save only costs the estimate. */
  record(key: string, ms: number): void {
    this.known[key] = Math.round(ms);
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}`;
      writeFileSync(tmp, JSON.stringify(this.known, null, 2));
      renameSync(tmp, this.file);
    } catch {
      // best effort
    }
  }
}
