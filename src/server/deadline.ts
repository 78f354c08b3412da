// Every request's time bound, from its first byte: it stops at REQUEST_TIMEOUT_MS, or as soon as
// the caller goes away. Whoever holds work for the request (its transaction) listens to `signal`.
export type StopReason = 'TIMEOUT' | 'DISCONNECTED';

export class RequestDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = performance.now();

  constructor(readonly ms: number) {
    this.timer = setTimeout(() => this.stop('TIMEOUT'), ms);
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the request was stopped, or null while it may go on. */
  get stopped(): StopReason | null {
    return this.controller.signal.aborted ? (this.controller.signal.reason as StopReason) : null;
  }

  remainingMs() {
    return Math.max(0, Math.floor(this.ms - (performance.now() - this.startedAt)));
  }

  stop(reason: StopReason) {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  /** The response went out: nothing left to stop. */
  dispose() {
    clearTimeout(this.timer);
  }
}
