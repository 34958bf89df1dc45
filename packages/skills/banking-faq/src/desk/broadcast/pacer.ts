/** The clock a {@link Pacer} reads and waits on (tests pass a fake one). */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock: `Date.now` and `setTimeout`. */
export const systemClock: PacerClock = {
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Spaces calls evenly: `perSecond` a second, one every `1000 / perSecond` ms, with no burst,
 * so no one-second window ever holds more than the rate (plus the one at its edge). The first
 * slot is one interval after the pacer is made, so a process that restarts right after a
 * crash does not send faster than the pace. Callers that wait at once get successive slots.
 *
 * @example
 * const pacer = new Pacer(25);
 * for (const member of members) { await pacer.next(); await send(member); }
 */
export class Pacer {
  /** Milliseconds between two slots. */
  readonly intervalMs: number;
  private last: number;

  constructor(
    perSecond: number,
    private readonly clock: PacerClock = systemClock,
  ) {
    if (!(perSecond > 0)) throw new Error(`The pace must be above 0 a second; got ${perSecond}.`);
    this.intervalMs = 1000 / perSecond;
    this.last = clock.now();
  }

  /** Waits for the next free slot and takes it. */
  async next(): Promise<void> {
    const slot = Math.max(this.clock.now(), this.last + this.intervalMs);
    this.last = slot;
    const wait = slot - this.clock.now();
    if (wait > 0) await this.clock.sleep(Math.ceil(wait));
    // A late wake-up moves the pace on: the next slot is a whole interval after this one ran.
    this.last = Math.max(this.last, this.clock.now());
  }
}
