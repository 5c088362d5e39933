// A work queue in the style of client-go's: one entry per key (adding a queued key is a no-op), a key is
// never processed by two workers at once (re-added while running → runs again afterwards), failures
// retry with per-key exponential backoff, and at most `concurrency` keys run at a time.
import type { Clock, Timer } from './clock.js';

export interface QueueOptions {
  clock: Clock;
  concurrency: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  onDepth?: (depth: number) => void;
}

/** What a handler may ask for besides success: a later look (e.g. a poll while waiting). */
export interface HandlerResult {
  requeueAfterMs?: number;
}

export type QueueHandler = (key: string) => Promise<HandlerResult | void>;

export class WorkQueue {
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  /** Keys added while running: they go back on the queue when the run ends. */
  private readonly dirtyWhileRunning = new Set<string>();
  private readonly delayed = new Map<string, { due: number; timer: Timer }>();
  private readonly failures = new Map<string, number>();
  private handler: QueueHandler | undefined;
  private paused = true;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: QueueOptions) {}

  add(key: string): void {
    const pending = this.delayed.get(key);
    if (pending) {
      pending.timer.cancel();
      this.delayed.delete(key);
    }
    if (this.running.has(key)) {
      this.dirtyWhileRunning.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.ready.push(key);
    this.report();
    this.pump();
  }

  /** Adds the key after a delay; an earlier pending delay for the same key wins. */
  addAfter(key: string, ms: number): void {
    if (ms <= 0) return this.add(key);
    const due = this.opts.clock.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.due <= due) return;
    pending?.timer.cancel();
    const timer = this.opts.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { due, timer });
  }

  /** Backoff delay for the key's next retry: base * 2^failures, capped. */
  backoffFor(key: string): number {
    const n = this.failures.get(key) ?? 0;
    return Math.min(this.opts.maxDelayMs ?? 60_000, (this.opts.baseDelayMs ?? 200) * 2 ** n);
  }

  failureCount(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  depth(): number {
    return this.ready.length;
  }

  isRunning(): boolean {
    return !this.paused;
  }

  /** Starts the workers; keys added before start wait in the queue. */
  start(handler: QueueHandler): void {
    this.handler = handler;
    this.paused = false;
    this.pump();
  }

  /** Stops taking new keys; running handlers finish. */
  pause(): void {
    this.paused = true;
    this.pump();
  }

  /** Nothing running, and nothing queued that will run (a paused queue keeps its keys). */
  private isIdle(): boolean {
    return this.running.size === 0 && (this.ready.length === 0 || this.paused);
  }

  /** Resolves once nothing is queued or running (delayed keys do not count); when paused, once running handlers end. */
  async idle(): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private report(): void {
    this.opts.onDepth?.(this.ready.length);
  }

  private pump(): void {
    while (!this.paused && this.handler && this.running.size < this.opts.concurrency && this.ready.length > 0) {
      const key = this.ready.shift()!;
      this.queued.delete(key);
      this.running.add(key);
      this.report();
      void this.process(key, this.handler);
    }
    if (this.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async process(key: string, handler: QueueHandler): Promise<void> {
    let retryAfter: number | undefined;
    try {
      const result = await handler(key);
      this.failures.delete(key);
      retryAfter = result?.requeueAfterMs;
    } catch {
      // The handler logs its own errors; the queue only schedules the retry.
      retryAfter = this.backoffFor(key);
      this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
    }
    this.running.delete(key);
    if (this.dirtyWhileRunning.delete(key)) this.add(key);
    else if (retryAfter !== undefined) this.addAfter(key, retryAfter);
    this.pump();
  }
}
