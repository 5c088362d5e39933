import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { CRASH_EXIT_CODE, exitOnCrash } from './crash.js';

function setup() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const source = new EventEmitter();
  const exits: number[] = [];
  exitOnCrash(source, pino(sink), (code) => exits.push(code));
  return { source, lines, exits };
}

describe('exitOnCrash', () => {
  it.each([
    ['uncaughtException', 'uncaught exception: exiting'],
    ['unhandledRejection', 'unhandled rejection: exiting'],
  ])('logs a %s as fatal and exits non-zero', (event, msg) => {
    const { source, lines, exits } = setup();
    source.emit(event, new Error('boom'));
    expect(exits).toEqual([CRASH_EXIT_CODE]);
    expect(CRASH_EXIT_CODE).not.toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 60, msg, event, err: { message: 'boom' } });
  });

  it('does nothing until something crashes', () => {
    const { lines, exits } = setup();
    expect(exits).toEqual([]);
    expect(lines).toEqual([]);
  });
});
