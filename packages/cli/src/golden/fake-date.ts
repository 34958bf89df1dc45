import type { ManualClock } from '@botwire/core/testing';

/**
 * Runs `work` with the global `Date` reading `clock` (`Date.now()`, `new Date()`), so the bot's
 * code, its storage's expiry and the job queue all see the same fake time, and restores the
 * real `Date` after. Only one such run at a time.
 */
export async function withFakeDate<T>(clock: ManualClock, work: () => Promise<T>): Promise<T> {
  const RealDate = Date;
  class FakeDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(clock.now());
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return clock.now();
    }
  }
  globalThis.Date = FakeDate as DateConstructor;
  try {
    return await work();
  } finally {
    globalThis.Date = RealDate;
  }
}
