// The write fence of a leader-elected replica: writes pass only while this replica is sure it still holds
// the lease, and once it has lost it, never again (the process then exits, as controller-runtime does).
// Checked right before each request is sent, so a replica frozen past its lease (SIGSTOP, a long GC, a
// suspended VM) finds out on its first write after it resumes, before that write reaches the API server.

export class FencedError extends Error {
  constructor(reason: string) {
    super(`write refused: ${reason}`);
    this.name = 'FencedError';
  }
}

export interface WriteFence {
  /** Throws FencedError when this process may not write now. */
  check(): void;
  /** Aborted when the fence closes for good: requests in flight are cancelled. */
  readonly signal: AbortSignal;
}

export interface LeaseHolder {
  /** True while the lease was renewed within the renew deadline, by this replica's own clock. */
  holdsLease(): boolean;
}

export class LeaderFence implements WriteFence {
  private readonly aborter = new AbortController();
  private leading = false;

  constructor(
    private readonly holder: LeaseHolder,
    /** Called once, when a replica that led finds it may no longer write. */
    private readonly onClosed: (reason: string) => void,
  ) {}

  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  /** Leadership began: writes pass while the lease is held. */
  open(): void {
    if (!this.aborter.signal.aborted) this.leading = true;
  }

  check(): void {
    if (this.aborter.signal.aborted) throw new FencedError('leadership was lost');
    if (!this.leading) throw new FencedError('not the leader');
    if (!this.holder.holdsLease()) {
      this.close('the lease was not renewed within the renew deadline');
      throw new FencedError('leadership was lost');
    }
  }

  /** Closes the fence for good and aborts every request in flight. */
  close(reason: string): void {
    if (this.aborter.signal.aborted) return;
    this.leading = false;
    this.aborter.abort(new FencedError(reason));
    this.onClosed(reason);
  }
}
