// Polls with a deadline (no sleeps where a poll can tell); `explain` says what was seen instead.
import { setTimeout as sleep } from 'node:timers/promises';

export async function until<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
  explain?: () => unknown,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${explain ? `; last seen: ${JSON.stringify(explain())}` : ''}`);
    }
    await sleep(250);
  }
}
