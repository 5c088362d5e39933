// A program on a real pseudo-terminal, read the way a person sees it: tmux on a private socket (its own
// server, so a user's tmux sessions are never touched), remain-on-exit so a failed run's screen stays.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TerminalOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  columns?: number;
  rows?: number;
}

export class Terminal {
  private readonly socket = `openvox-e2e-${process.pid}-${Date.now()}`;

  private constructor() {}

  /** Starts `argv` in a new terminal. */
  static start(argv: string[], options: TerminalOptions): Terminal {
    const t = new Terminal();
    const conf = join(mkdtempSync(join(tmpdir(), 'tmux-')), 'tmux.conf');
    writeFileSync(conf, 'set -g remain-on-exit on\nset -g history-limit 50000\n');
    // env(1) wants its -u NAME before the NAME=value assignments.
    const entries = Object.entries(options.env);
    const env = [
      ...entries.filter(([, v]) => v === undefined).flatMap(([k]) => ['-u', k]),
      ...entries.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`),
    ];
    t.tmux([
      '-f',
      conf,
      'new-session',
      '-d',
      '-s',
      'main',
      '-x',
      String(options.columns ?? 160),
      '-y',
      String(options.rows ?? 50),
      '-c',
      options.cwd,
      'env',
      ...env,
      ...argv,
    ]);
    return t;
  }

  /** Everything printed so far, the scrollback included, as plain text (wrapped lines joined). */
  screen(): string {
    return this.tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', 'main']);
  }

  /** True once the program has exited (the pane stays, remain-on-exit). */
  exited(): boolean {
    return this.tmux(['display-message', '-p', '-t', 'main', '#{pane_dead}']).trim() === '1';
  }

  /** Types keys, e.g. `C-c`. */
  send(keys: string): void {
    this.tmux(['send-keys', '-t', 'main', keys]);
  }

  /** Waits until `done(screen)` or the program exits; returns the screen then. */
  async waitFor(done: (screen: string) => boolean, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (done(screen) || this.exited()) return screen;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s; the screen:\n${screen}`);
      await sleep(500);
    }
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { encoding: 'utf8' });
  }

  private tmux(args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0) throw new Error(`tmux ${args[0] ?? ''} failed: ${r.stderr || r.error?.message}`);
    return r.stdout;
  }
}
