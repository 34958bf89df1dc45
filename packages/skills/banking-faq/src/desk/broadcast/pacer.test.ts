import { describe, expect, it } from 'vitest';
import { Pacer, type PacerClock } from './pacer';

/** A fake clock: sleeping moves time on (plus `late` ms, as a busy event loop would). */
function fakeClock(start = 1000, late = 0): PacerClock & { time: number } {
  const clock = {
    time: start,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += ms + late;
    },
  };
  return clock;
}

describe('Pacer', () => {
  it('spaces slots one interval apart, the first one interval after it was made', async () => {
    const clock = fakeClock();
    const pacer = new Pacer(25, clock);
    const slots: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      await pacer.next();
      slots.push(clock.time);
    }
    expect(slots).toEqual([1040, 1080, 1120, 1160, 1200]);
  });

  it('does not burst after idling: the slot after a pause comes at once, the next one an interval later', async () => {
    const clock = fakeClock();
    const pacer = new Pacer(10, clock);
    await pacer.next();
    clock.time += 5000;
    await pacer.next();
    const afterPause = clock.time;
    await pacer.next();
    expect(clock.time - afterPause).toBe(100);
  });

  it('keeps whole intervals after a late wake-up', async () => {
    const clock = fakeClock(0, 7);
    const pacer = new Pacer(20, clock);
    const times: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      await pacer.next();
      times.push(clock.time);
    }
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(50);
  });

  it('gives callers that wait at once successive slots', async () => {
    let time = 0;
    const woke: number[] = [];
    const pacer = new Pacer(50, {
      now: () => time,
      sleep: async (ms) => {
        woke.push(time + ms);
      },
    });
    await Promise.all([pacer.next(), pacer.next(), pacer.next()]);
    expect(woke).toEqual([20, 40, 60]);
    time = 0;
  });

  it('holds no more than the rate in any second on the real clock', async () => {
    const pacer = new Pacer(100);
    const times: number[] = [];
    for (let index = 0; index < 60; index += 1) {
      await pacer.next();
      times.push(performance.now());
    }
    // Any ten slots in a row span at least ten intervals. Measured over ten, not one: a busy
    // machine may run one caller's continuation late, which shortens the next gap as seen here
    // without the pacer going faster. Timers may also fire a fraction of a millisecond early.
    const spans = times.slice(10).map((time, index) => time - times[index]!);
    expect(Math.min(...spans)).toBeGreaterThanOrEqual(90);
  });

  it('refuses a pace of zero', () => {
    expect(() => new Pacer(0)).toThrow(/above 0/);
  });
});
