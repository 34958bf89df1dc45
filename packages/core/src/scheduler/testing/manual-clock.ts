import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock, ClockTimer } from '../job-clock';

/** A {@link Clock} that moves only when a test moves it. */
export interface ManualClock extends Clock {
  /**
   * Moves the time forward by `ms`, firing the timers that come due on the way in order (the
   * clock reads each timer's time while it fires) and letting the work they start run
   * (promises, storage calls) before the next one.
   */
  advance(ms: number): Promise<void>;
  /** Moves the time forward to `time` (a Date or ms), as {@link ManualClock.advance} does. */
  advanceTo(time: Date | number): Promise<void>;
  /** Lets pending work run (turns of the event loop) without moving the time. */
  settle(): Promise<void>;
  /** How many timers are waiting. */
  readonly pending: number;
}

interface ManualTimer {
  at: number;
  order: number;
  callback: () => void;
}

/** Turns of the event loop given to the work a timer starts; storage in memory needs one or two. */
const settleTurns = 12;

/**
 * A fake clock for tests of timed code (the job queue takes it as `clock`): time stands still
 * until `advance()` moves it, and timers fire only then.
 *
 * @example
 * const clock = manualClock(Date.parse('2030-01-07T08:00:00Z'));
 * const queue = embeddedJobQueue({ storage, clock });
 * await clock.advance(24 * 3_600_000); // a day passes; due jobs run
 */
export function manualClock(
  start: Date | number = Date.parse('2030-01-01T00:00:00Z'),
): ManualClock {
  let now = typeof start === 'number' ? start : start.getTime();
  let order = 0;
  const timers = new Set<ManualTimer>();

  const settle = async (): Promise<void> => {
    for (let turn = 0; turn < settleTurns; turn++) await nextTurn();
  };

  const advanceTo = async (target: number): Promise<void> => {
    if (!Number.isFinite(target) || target < now)
      throw new Error(`The manual clock cannot go back (from ${now} to ${target}).`);
    for (;;) {
      let next: ManualTimer | undefined;
      for (const timer of timers) {
        if (timer.at > target) continue;
        if (!next || timer.at < next.at || (timer.at === next.at && timer.order < next.order))
          next = timer;
      }
      if (!next) break;
      timers.delete(next);
      now = Math.max(now, next.at);
      next.callback();
      await settle();
    }
    now = target;
    await settle();
  };

  return {
    now: () => now,
    setTimeout(callback: () => void, ms: number): ClockTimer {
      const timer: ManualTimer = { at: now + Math.max(0, ms), order: order++, callback };
      timers.add(timer);
      return timer;
    },
    clearTimeout(timer: ClockTimer) {
      timers.delete(timer as ManualTimer);
    },
    advance: (ms: number) => advanceTo(now + ms),
    advanceTo: (time: Date | number) => advanceTo(typeof time === 'number' ? time : time.getTime()),
    settle,
    get pending() {
      return timers.size;
    },
  };
}
