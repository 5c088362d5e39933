import { pino } from 'pino';
import { FakeClock } from './clock.js';
import type { KubeClient, KubeObject } from './client.js';
import { ApiEventRecorder, DEFAULT_CORRELATION } from './events.js';

type Write = { verb: 'create' | 'apply'; name: string; count: unknown; message: unknown };

function recordingClient(writes: Write[]): KubeClient {
  const write = (verb: Write['verb']) => async (_r: unknown, obj: KubeObject) => {
    writes.push({ verb, name: obj.metadata!.name!, count: obj.count, message: obj.message });
    return obj;
  };
  return { create: write('create'), apply: write('apply') } as unknown as KubeClient;
}

const server = (uid: string): KubeObject => ({
  apiVersion: 'openvox.voxpupuli.org/v1alpha1',
  kind: 'Server',
  metadata: { name: `s-${uid}`, namespace: 'ns', uid },
});

async function setup() {
  const writes: Write[] = [];
  const clock = new FakeClock(Date.parse('2026-12-02T00:00:00Z'));
  const recorder = new ApiEventRecorder(recordingClient(writes), clock, pino({ level: 'silent' }));
  return { writes, clock, recorder };
}

describe('ApiEventRecorder', () => {
  it('keeps one Event per object and reason: a burst of repeats is one update with the count', async () => {
    const { writes, clock, recorder } = await setup();
    await recorder.record(server('a'), 'Warning', 'PodsNotReady', 'first');
    for (let i = 2; i <= 5; i++) {
      clock.advance(500);
      await recorder.record(server('a'), 'Warning', 'PodsNotReady', `repeat ${i}`);
    }
    expect(writes).toHaveLength(1);
    clock.advance(DEFAULT_CORRELATION.flushDelayMs);
    await Promise.resolve();
    const name = writes[0]!.name;
    expect(writes).toEqual([
      { verb: 'create', name, count: 1, message: 'first' },
      { verb: 'apply', name, count: 5, message: 'repeat 5' },
    ]);
  });

  it('starts a new Event for another reason, another object, or after the window', async () => {
    const { writes, clock, recorder } = await setup();
    await recorder.record(server('a'), 'Normal', 'Pending', 'm');
    await recorder.record(server('a'), 'Normal', 'Running', 'm');
    await recorder.record(server('b'), 'Normal', 'Pending', 'm');
    clock.advance(DEFAULT_CORRELATION.windowMs);
    await recorder.record(server('a'), 'Normal', 'Pending', 'm');
    expect(writes.map((w) => `${w.verb} ${w.name.split('.')[0]} ${w.count}`)).toEqual([
      'create s-a 1',
      'create s-a 1',
      'create s-b 1',
      'create s-a 1',
    ]);
    expect(new Set(writes.map((w) => w.name)).size).toBe(4);
  });

  it('drops Events past the per-object burst until the bucket refills', async () => {
    const { writes, clock, recorder } = await setup();
    for (let i = 0; i < DEFAULT_CORRELATION.burst + 5; i++) await recorder.record(server('a'), 'Normal', `R${i}`, 'm');
    expect(writes).toHaveLength(DEFAULT_CORRELATION.burst);
    await recorder.record(server('b'), 'Normal', 'R0', 'm');
    expect(writes).toHaveLength(DEFAULT_CORRELATION.burst + 1);
    clock.advance(DEFAULT_CORRELATION.refillMs);
    await recorder.record(server('a'), 'Normal', 'Late', 'm');
    await recorder.record(server('a'), 'Normal', 'TooLate', 'm');
    expect(writes.slice(-1)[0]!.name.startsWith('s-a.')).toBe(true);
    expect(writes).toHaveLength(DEFAULT_CORRELATION.burst + 2);
  });
});
