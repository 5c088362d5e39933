// Time is injected so the queue, leader election and status timestamps can be tested with a fake clock.
export interface Timer {
  cancel(): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(handle) };
  },
};

/** A manual clock for tests: timers fire only when advance() passes their due time. */
export class FakeClock implements Clock {
  private current: number;
  private timers: { due: number; fn: () => void; id: number }[] = [];
  private nextId = 0;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const id = this.nextId++;
    this.timers.push({ due: this.current + Math.max(0, ms), fn, id });
    return { cancel: () => (this.timers = this.timers.filter((t) => t.id !== id)) };
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.due <= target).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t.id !== next.id);
      this.current = next.due;
      next.fn();
    }
    this.current = target;
  }

  pending(): number {
    return this.timers.length;
  }
}
