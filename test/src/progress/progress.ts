// One line per stage of a long step: what, step N of M, elapsed and the last run's time. On a terminal the
// running stages share one updating status line under the finished ones; elsewhere (CI, a pipe) each
// stage prints a plain line when it starts and when it ends.
import { formatDuration } from './duration.js';
import { Timings } from './timings.js';

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Updating status line; default: the output is a terminal and CI is not set. */
  tty?: boolean;
  timings?: Timings;
  now?: () => number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

interface Running {
  task: string;
  step: number;
  total: number;
  what: string;
  started: number;
  estimateMs?: number;
}

export class Progress {
  private readonly tty: boolean;
  private readonly timings: Timings;
  private readonly now: () => number;
  private readonly running = new Set<Running>();
  private ticker: NodeJS.Timeout | undefined;
  private frame = 0;
  private statusShown = false;

  constructor(
    private readonly out: ProgressOutput = process.stderr,
    options: ProgressOptions = {},
  ) {
    this.tty = options.tty ?? (Boolean(out.isTTY) && !process.env.CI);
    this.timings = options.timings ?? new Timings();
    this.now = options.now ?? Date.now;
  }

  task(name: string): Task {
    return new Task(this, name);
  }

  /** A line of its own above the status line (the status line is drawn again under it). */
  log(line: string): void {
    this.clearStatus();
    this.out.write(`${line}\n`);
    this.drawStatus();
  }

  /** @internal */
  begin(task: string, step: number, total: number, what: string): Running {
    const r: Running = {
      task,
      step,
      total,
      what,
      started: this.now(),
      estimateMs: this.timings.lastMs(key(task, what)),
    };
    this.running.add(r);
    if (this.tty) this.startTicker();
    else this.log(`▸ ${label(r)}${r.estimateMs ? `  (last run ${formatDuration(r.estimateMs)})` : ''}`);
    this.drawStatus();
    return r;
  }

  /** @internal */
  end(r: Running, ok: boolean): void {
    if (!this.running.delete(r)) return;
    const ms = this.now() - r.started;
    if (ok) this.timings.record(key(r.task, r.what), ms);
    this.log(ok ? `✓ ${label(r)}  ${formatDuration(ms)}` : `✗ ${label(r)}  failed after ${formatDuration(ms)}`);
    if (this.running.size === 0) this.stopTicker();
  }

  /** Marks every stage still running as failed (the step that threw did not say which). */
  failRunning(): void {
    for (const r of [...this.running]) this.end(r, false);
  }

  /** Clears the status line and stops updating it (before other programs write to the terminal). */
  stop(): void {
    this.stopTicker();
    this.clearStatus();
  }

  /** The status line as it would be drawn now (exported for tests). */
  statusLine(): string {
    const parts = [...this.running].map((r) => {
      const elapsed = formatDuration(this.now() - r.started);
      return `${label(r)} ${elapsed}${r.estimateMs ? ` of ~${formatDuration(r.estimateMs)}` : ''}`;
    });
    const line = `${SPINNER[this.frame % SPINNER.length]} ${parts.join(' · ')}`;
    const width = (this.out.columns ?? 120) - 1;
    return line.length > width ? `${line.slice(0, width - 1)}…` : line;
  }

  private startTicker(): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => {
      this.frame++;
      this.drawStatus();
    }, 250);
    this.ticker.unref();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private clearStatus(): void {
    if (!this.statusShown) return;
    this.out.write('\r\x1b[2K');
    this.statusShown = false;
  }

  private drawStatus(): void {
    if (!this.tty || this.running.size === 0) return;
    this.out.write(`\r\x1b[2K${this.statusLine()}`);
    this.statusShown = true;
  }
}

/** One long step (a build, the node bring-up): its stages run one after the other. */
export class Task {
  private current: Running | undefined;

  constructor(
    private readonly progress: Progress,
    readonly name: string,
  ) {}

  /** Ends the stage that runs (as done) and starts stage `step` of `total`. */
  stage(step: number, total: number, what: string): void {
    this.done();
    this.current = this.progress.begin(this.name, step, total, what);
  }

  done(): void {
    if (this.current) this.progress.end(this.current, true);
    this.current = undefined;
  }

  fail(): void {
    if (this.current) this.progress.end(this.current, false);
    this.current = undefined;
  }

  /** True once a stage has started: the step did real work (a cached build starts none). */
  get active(): boolean {
    return this.current !== undefined;
  }
}

function key(task: string, what: string): string {
  return `${task}: ${what}`;
}

function label(r: Running): string {
  return `${r.task} [${r.step}/${r.total}] ${r.what}`;
}

/** The one renderer of this process, so concurrent builds share the status line. */
export const progress = new Progress();
