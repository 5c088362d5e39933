// Durations of certificate lifetimes and renewal windows: "<n><s|m|h|d|y>" (y = 365 d), or a plain
// integer meaning seconds, as the Go operator's ParseDurationToSeconds and Puppet's ca_ttl accept.

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, y: 365 * 86_400 };
const DURATION = /^(\d+)([smhdy]?)$/;

export class DurationError extends Error {
  constructor(readonly input: string) {
    super(`invalid duration ${JSON.stringify(input)}: expected <number><s|m|h|d|y>, for example 90d or 5y`);
    this.name = 'DurationError';
  }
}

/** Seconds in a duration; throws DurationError for anything else (empty, negative, other units). */
export function parseDurationSeconds(input: string): number {
  const match = DURATION.exec(input.trim());
  if (!match) throw new DurationError(input);
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
  if (!Number.isSafeInteger(seconds)) throw new DurationError(input);
  return seconds;
}

export function isValidDuration(input: string): boolean {
  try {
    parseDurationSeconds(input);
    return true;
  } catch {
    return false;
  }
}
