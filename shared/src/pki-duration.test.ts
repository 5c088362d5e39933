import { DurationError, isValidDuration, parseDurationSeconds } from './pki-duration.js';

describe('parseDurationSeconds', () => {
  it.each([
    ['30s', 30],
    ['15m', 900],
    ['2h', 7200],
    ['60d', 60 * 86_400],
    ['5y', 5 * 365 * 86_400],
    ['3600', 3600],
    [' 90d ', 90 * 86_400],
    ['0d', 0],
  ])('%s is %d seconds', (input, seconds) => {
    expect(parseDurationSeconds(input)).toBe(seconds);
  });

  it.each(['', 'd', '-1d', '1w', '1.5d', '1d2h', '99999999999999999999y'])('refuses %j', (input) => {
    expect(() => parseDurationSeconds(input)).toThrow(DurationError);
    expect(isValidDuration(input)).toBe(false);
  });
});
