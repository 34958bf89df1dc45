import { afterEach, describe, expect, it } from 'vitest';
import type { JobQueue, JobRun } from '../ports/job-queue';
import type { StorageDriver } from '../ports/storage';
import { memoryStorage } from '../storage/drivers/memory';
import { embeddedJobQueue } from './embedded-job-queue';
import { type ManualClock, manualClock } from './testing/manual-clock';
import { wallClock } from './zoned-time';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

describe('embeddedJobQueue on a manual clock', () => {
  let clock: ManualClock;
  let storage: StorageDriver;
  const queues: JobQueue[] = [];

  /** A queue on memory storage whose TTLs follow the same clock. */
  const open = async (options: { start?: number; pollMs?: number } = {}) => {
    if (!clock) {
      clock = manualClock(options.start ?? Date.parse('2030-01-06T12:00:00Z'));
      storage = memoryStorage({ now: clock.now });
      await storage.open();
    }
    const queue = embeddedJobQueue({ storage, clock, pollMs: options.pollMs ?? hour });
    queues.push(queue);
    return queue;
  };

  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.close();
    await storage?.close();
    clock = undefined as unknown as ManualClock;
  });

  it('fires a job due tomorrow when the clock gets there, not before, on time', async () => {
    const queue = await open();
    const runs: JobRun[] = [];
    queue.process('remind', async (run) => {
      runs.push(run);
    });
    await queue.start();
    const runAt = new Date(clock.now() + day);
    const job = await queue.add({ name: 'remind', data: { text: 'tea' }, runAt });
    await clock.advance(day - 1);
    expect(runs).toHaveLength(0);
    expect((await queue.get(job.id))?.state).toBe('queued');
    await clock.advance(1);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ lateMs: 0, caughtUp: false, attempt: 1 });
    expect(runs[0]!.due.getTime()).toBe(runAt.getTime());
    expect(await queue.get(job.id)).toMatchObject({ state: 'done', runs: 1 });
  });

  it('fires a weekly rule on its days at its wall time, across a DST change', async () => {
    // Sunday 22 March 2026; Berlin moves to summer time on Sunday 29 March.
    const queue = await open({ start: Date.parse('2026-03-22T12:00:00Z') });
    const fired: string[] = [];
    queue.process('weekly', async (run) => {
      const wall = wallClock(run.due, 'Europe/Berlin');
      fired.push(
        `${run.due.toISOString()} ${wall.weekday} ${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`,
      );
    });
    await queue.start();
    await queue.add({
      name: 'weekly',
      data: {},
      repeat: { kind: 'weekly', time: '09:00', weekdays: [1, 3, 5] },
      timezone: 'Europe/Berlin',
    });
    await clock.advance(14 * day);
    expect(fired).toEqual([
      '2026-03-23T08:00:00.000Z 1 09:00',
      '2026-03-25T08:00:00.000Z 3 09:00',
      '2026-03-27T08:00:00.000Z 5 09:00',
      '2026-03-30T07:00:00.000Z 1 09:00',
      '2026-04-01T07:00:00.000Z 3 09:00',
      '2026-04-03T07:00:00.000Z 5 09:00',
    ]);
  });

  it('retries with doubling backoff, capped at 5 minutes, retrying in between', async () => {
    const queue = await open({ pollMs: 10 * hour });
    const tries: number[] = [];
    queue.process('flaky', async () => {
      tries.push(clock.now());
      throw new Error(`failure ${tries.length}`);
    });
    await queue.start();
    const first = await queue.add({ name: 'flaky', data: {}, attempts: 4, backoffMs: 1_000 });
    await clock.settle();
    expect(tries).toHaveLength(1);
    expect(await queue.get(first.id)).toMatchObject({
      state: 'retrying',
      attemptsMade: 1,
      lastError: 'failure 1',
    });
    await clock.advance(999);
    expect(tries).toHaveLength(1);
    await clock.advance(1 + 2_000 + 4_000);
    expect(tries.slice(1).map((at, index) => at - tries[index]!)).toEqual([1_000, 2_000, 4_000]);
    expect(await queue.get(first.id)).toMatchObject({
      state: 'failed',
      attemptsMade: 4,
      runs: 1,
      lastError: 'failure 4',
    });

    tries.length = 0;
    const capped = await queue.add({ name: 'flaky', data: {}, attempts: 3, backoffMs: 200_000 });
    await clock.advance(30 * minute);
    expect(tries.slice(1).map((at, index) => at - tries[index]!)).toEqual([200_000, 300_000]);
    expect((await queue.get(capped.id))?.state).toBe('failed');
  });

  it('de-duplicates a key within dedupeMs, and for as long as the job is active without it', async () => {
    const queue = await open();
    queue.process('keyed', async () => {});
    await queue.start();
    const later = new Date(clock.now() + day);
    const first = await queue.add({
      name: 'keyed',
      data: {},
      runAt: later,
      key: 'a',
      dedupeMs: 10_000,
    });
    expect((await queue.add({ name: 'keyed', data: {}, runAt: later, key: 'a' })).id).toBe(
      first.id,
    );
    await clock.advance(10_001);
    const second = await queue.add({ name: 'keyed', data: {}, runAt: later, key: 'a' });
    expect(second.id).not.toBe(first.id);

    const soon = await queue.add({
      name: 'keyed',
      data: {},
      runAt: new Date(clock.now() + minute),
      key: 'b',
    });
    await clock.advance(30_000);
    expect((await queue.add({ name: 'keyed', data: {}, key: 'b' })).id).toBe(soon.id);
    await clock.advance(31_000);
    expect((await queue.get(soon.id))?.state).toBe('done');
    const after = await queue.add({ name: 'keyed', data: {}, runAt: later, key: 'b' });
    expect(after.id).not.toBe(soon.id);
    expect(await queue.list({ key: 'b', states: ['queued'] })).toHaveLength(1);
  });

  it('removes finished jobs after 7 days and keeps active ones', async () => {
    const queue = await open();
    queue.process('short', async () => {});
    await queue.start();
    const finished = await queue.add({ name: 'short', data: {} });
    const far = await queue.add({
      name: 'short',
      data: {},
      runAt: new Date(clock.now() + 30 * day),
    });
    const cancelled = await queue.add({
      name: 'short',
      data: {},
      runAt: new Date(clock.now() + day),
    });
    await queue.cancel(cancelled.id);
    await clock.settle();
    expect((await queue.get(finished.id))?.state).toBe('done');
    await clock.advance(6 * day);
    expect((await queue.get(finished.id))?.state).toBe('done');
    expect((await queue.get(cancelled.id))?.state).toBe('cancelled');
    await clock.advance(day + 2 * hour);
    expect(await queue.get(finished.id)).toBeUndefined();
    expect(await queue.get(cancelled.id)).toBeUndefined();
    expect((await queue.get(far.id))?.state).toBe('queued');
  });

  it('catches up after downtime: a one-off once, a recurring job only its latest occurrence', async () => {
    const closed = await open();
    const start = clock.now();
    const once = await closed.add({
      name: 'missed',
      data: {},
      runAt: new Date(start + 5 * minute),
    });
    const every = await closed.add({
      name: 'missed',
      data: {},
      repeat: { kind: 'interval', minutes: 1, anchor: new Date(start).toISOString() },
      timezone: 'UTC',
    });
    await closed.close();
    await clock.advance(10 * minute + 30_000);
    const queue = await open();
    const runs: JobRun[] = [];
    queue.process('missed', async (run) => {
      runs.push(run);
    });
    await queue.start();
    await clock.settle();
    const late = runs.filter((run) => run.job.id === once.id);
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ caughtUp: true, lateMs: 5 * minute + 30_000 });
    const recurring = runs.filter((run) => run.job.id === every.id);
    expect(recurring).toHaveLength(1);
    expect(recurring[0]).toMatchObject({ caughtUp: true, lateMs: 30_000 });
    expect(recurring[0]!.due.getTime()).toBe(start + 10 * minute);
    await clock.advance(2 * minute);
    const onTime = runs.filter((run) => run.job.id === every.id).slice(1);
    expect(onTime.map((run) => [run.due.getTime() - start, run.caughtUp, run.lateMs])).toEqual([
      [11 * minute, false, 0],
      [12 * minute, false, 0],
    ]);
    expect((await queue.get(every.id))?.runs).toBe(3);
  });

  it('counts states and the lateness of the occurrences it started', async () => {
    const queue = await open({ pollMs: 10 * hour });
    queue.process('count', async (run) => {
      if (run.job.data.fail) throw new Error('no');
    });
    // Due before start: 1, 2 and 3 seconds late.
    for (const late of [1_000, 2_000, 3_000])
      await queue.add({ name: 'count', data: {}, runAt: new Date(clock.now() - late) });
    await queue.add({ name: 'count', data: { fail: true }, attempts: 1 });
    await queue.add({ name: 'count', data: { fail: true }, attempts: 2, backoffMs: hour });
    const cancelled = await queue.add({
      name: 'count',
      data: {},
      runAt: new Date(clock.now() + day),
    });
    await queue.add({ name: 'count', data: {}, runAt: new Date(clock.now() + day) });
    await queue.cancel(cancelled.id);
    await queue.start();
    await clock.settle();
    const stats = await queue.stats();
    expect(stats).toMatchObject({ queued: 1, running: 0, retrying: 1, done: 3, failed: 1 });
    expect(stats.lateness).toEqual({ p50: 1_000, p99: 3_000, max: 3_000, count: 5 });
  });
});
