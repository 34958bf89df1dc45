import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobQueue, JobRun } from '../ports/job-queue';
import { rejectsWithCode } from './rejects-with-code';

/** What a test run of the job queue contract needs. */
export interface JobQueueTarget {
  queue: JobQueue;
  /** Another queue on the same backend, as a second bot process would open it. */
  second(): Promise<JobQueue>;
  /**
   * Closes every queue of the run and opens a new one on the same data (a restart). Without
   * it, the restart tests are left out.
   */
  reopen?(): Promise<JobQueue>;
  /** Releases what the run used (servers, folders). */
  close?(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/**
 * The contract every job queue driver passes (embedded, BullMQ, ...): one-off and recurring
 * jobs fire when due and once, retries with backoff up to `attempts`, de-duplication by key,
 * cancel, list, stats, two queues on one backend sharing the work without doubling it, and
 * (with `reopen`) jobs missed while closed caught up by the stated policy. Timing is real and
 * short (hundreds of milliseconds), so it runs against a real Redis as well.
 *
 * @example
 * runJobQueueContract('embedded', async () => {
 *   const storage = memoryStorage();
 *   await storage.open();
 *   return { queue: embeddedJobQueue({ storage }), second: async () => embeddedJobQueue({ storage }) };
 * });
 */
export function runJobQueueContract(name: string, create: () => Promise<JobQueueTarget>): void {
  describe(`job queue contract: ${name}`, () => {
    let target: JobQueueTarget;
    let queue: JobQueue;
    const opened: JobQueue[] = [];
    beforeEach(async () => {
      target = await create();
      queue = target.queue;
      opened.push(queue);
    });
    afterEach(async () => {
      for (const each of opened.splice(0)) await each.close();
      await target.close?.();
    });

    const record = (into: JobRun[]) => async (run: JobRun) => {
      into.push(run);
    };

    it('ping(), when the driver has it, gives a latency in ms before start()', async () => {
      if (!queue.ping) return;
      const latency = await queue.ping();
      expect(Number.isFinite(latency) && latency >= 0).toBe(true);
    });

    it('runs a job added for now once, and marks it done', async () => {
      const runs: JobRun[] = [];
      queue.process('contract.now', record(runs));
      await queue.start();
      const job = await queue.add({
        name: 'contract.now',
        data: { text: 'hello' },
        owner: 'usr_1',
      });
      expect(job).toMatchObject({ name: 'contract.now', state: 'queued', owner: 'usr_1', runs: 0 });
      await until(() => runs.length === 1);
      await until(async () => (await queue.get(job.id))?.state === 'done');
      expect(runs[0]!.job.data).toEqual({ text: 'hello' });
      expect(runs[0]!.attempt).toBe(1);
      expect(runs[0]!.caughtUp).toBe(false);
      expect(typeof runs[0]!.occurrenceId).toBe('string');
      const done = await queue.get(job.id);
      expect(done).toMatchObject({ state: 'done', runs: 1 });
      await sleep(300);
      expect(runs).toHaveLength(1);
    });

    it('runs a job at its time, not before, and reports how late it was', async () => {
      const runs: JobRun[] = [];
      queue.process('contract.later', record(runs));
      await queue.start();
      const runAt = new Date(Date.now() + 600);
      await queue.add({ name: 'contract.later', data: {}, runAt });
      await sleep(300);
      expect(runs).toHaveLength(0);
      await until(() => runs.length === 1);
      expect(runs[0]!.due.getTime()).toBe(runAt.getTime());
      expect(runs[0]!.lateMs).toBeGreaterThanOrEqual(0);
      expect(runs[0]!.lateMs).toBeLessThan(1500);
      expect(Date.now()).toBeGreaterThanOrEqual(runAt.getTime());
    });

    it('fires a recurring job when due and schedules its next occurrence by the rule', async () => {
      const runs: JobRun[] = [];
      queue.process('contract.repeat', record(runs));
      await queue.start();
      // Every minute from an anchor chosen so the first occurrence is 400 ms away.
      const first = Date.now() + 400;
      const anchor = new Date(first - 60_000).toISOString();
      const job = await queue.add({
        name: 'contract.repeat',
        data: {},
        repeat: { kind: 'interval', minutes: 1, anchor },
        timezone: 'Europe/Berlin',
      });
      expect(job.runAt.getTime()).toBe(Date.parse(anchor) + 60_000);
      await until(() => runs.length === 1);
      await until(async () => (await queue.get(job.id))?.runs === 1);
      const after = await queue.get(job.id);
      expect(after?.state).toBe('queued');
      expect(after?.runAt.getTime()).toBe(Date.parse(anchor) + 120_000);
      expect(await queue.cancel(job.id)).toBe(true);
      expect((await queue.get(job.id))?.state).toBe('cancelled');
    });

    it('retries a failing handler with backoff, then succeeds', async () => {
      const attempts: number[] = [];
      queue.process('contract.flaky', async (run) => {
        attempts.push(run.attempt);
        if (run.attempt < 3) throw new Error(`try ${run.attempt} failed`);
      });
      await queue.start();
      const job = await queue.add({ name: 'contract.flaky', data: {}, attempts: 3, backoffMs: 50 });
      await until(async () => (await queue.get(job.id))?.state === 'done');
      expect(attempts).toEqual([1, 2, 3]);
    });

    it('marks an occurrence failed after its last attempt, with the error', async () => {
      let calls = 0;
      queue.process('contract.broken', async () => {
        calls += 1;
        throw new Error('always broken');
      });
      await queue.start();
      const job = await queue.add({
        name: 'contract.broken',
        data: {},
        attempts: 2,
        backoffMs: 50,
      });
      await until(async () => (await queue.get(job.id))?.state === 'failed');
      const failed = await queue.get(job.id);
      expect(failed?.lastError).toContain('always broken');
      expect(calls).toBe(2);
      expect((await queue.stats()).failed).toBeGreaterThanOrEqual(1);
    });

    it('returns the active job for a key instead of adding a second one', async () => {
      await queue.start();
      const runAt = new Date(Date.now() + 60_000);
      const first = await queue.add({ name: 'contract.keyed', data: { n: 1 }, runAt, key: 'k1' });
      const again = await queue.add({ name: 'contract.keyed', data: { n: 2 }, runAt, key: 'k1' });
      expect(again.id).toBe(first.id);
      expect(await queue.list({ key: 'k1' })).toHaveLength(1);
      await queue.cancel(first.id);
      const third = await queue.add({ name: 'contract.keyed', data: { n: 3 }, runAt, key: 'k1' });
      expect(third.id).not.toBe(first.id);
    });

    it('never runs a cancelled job; cancelling an unknown one is false', async () => {
      const runs: JobRun[] = [];
      queue.process('contract.cancel', record(runs));
      await queue.start();
      const job = await queue.add({
        name: 'contract.cancel',
        data: {},
        runAt: new Date(Date.now() + 400),
      });
      expect(await queue.cancel(job.id)).toBe(true);
      expect(await queue.cancel(job.id)).toBe(false);
      expect(await queue.cancel('no-such-job')).toBe(false);
      await sleep(800);
      expect(runs).toHaveLength(0);
      expect((await queue.get(job.id))?.state).toBe('cancelled');
    });

    it('lists jobs by owner, name and state, soonest first', async () => {
      await queue.start();
      const later = new Date(Date.now() + 120_000);
      const sooner = new Date(Date.now() + 60_000);
      const a = await queue.add({ name: 'contract.list', data: {}, runAt: later, owner: 'usr_a' });
      const b = await queue.add({ name: 'contract.list', data: {}, runAt: sooner, owner: 'usr_a' });
      await queue.add({ name: 'contract.other', data: {}, runAt: sooner, owner: 'usr_b' });
      const mine = await queue.list({ owner: 'usr_a' });
      expect(mine.map((job) => job.id)).toEqual([b.id, a.id]);
      expect(await queue.list({ name: 'contract.other' })).toHaveLength(1);
      expect(await queue.list({ owner: 'usr_a', states: ['done'] })).toEqual([]);
      expect((await queue.stats()).queued).toBeGreaterThanOrEqual(3);
    });

    it('shares due jobs between two queues on one backend, each occurrence once', async () => {
      const seen: string[] = [];
      const second = await target.second();
      opened.push(second);
      for (const each of [queue, second]) {
        each.process('contract.shared', async (run) => {
          seen.push(run.occurrenceId);
          await sleep(5);
        });
      }
      const runAt = new Date(Date.now() + 300);
      for (let index = 0; index < 40; index++)
        await queue.add({ name: 'contract.shared', data: { index }, runAt });
      await Promise.all([queue.start(), second.start()]);
      await until(() => seen.length >= 40);
      await sleep(500);
      expect(seen).toHaveLength(40);
      expect(new Set(seen).size).toBe(40);
    });

    it('refuses bad specs with BOTWIRE_INVALID_ARGUMENT and stores nothing', async () => {
      await rejectsWithCode(queue.add({ name: '', data: {} }), 'BOTWIRE_INVALID_ARGUMENT');
      await rejectsWithCode(
        queue.add({ name: 'contract.bad', data: {}, runAt: new Date(Number.NaN) }),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      await rejectsWithCode(
        queue.add({
          name: 'contract.bad',
          data: {},
          repeat: { kind: 'weekly', time: '09:00', weekdays: [1] },
          timezone: 'Mars/Olympus',
        }),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      await rejectsWithCode(
        queue.add({
          name: 'contract.bad',
          data: {},
          repeat: { kind: 'weekly', time: '25:00', weekdays: [1] },
          timezone: 'Europe/Berlin',
        }),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      await rejectsWithCode(
        queue.add({ name: 'contract.bad', data: {}, attempts: 0 }),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      expect(await queue.list({ name: 'contract.bad' })).toEqual([]);
    });

    it('catches up after a restart: a missed one-off fires late once, a recurring job only its latest occurrence', async () => {
      if (!target.reopen) {
        expect(target.reopen, `${name} keeps nothing beyond the process`).toBeUndefined();
        return;
      }
      const oneOff = await queue.add({
        name: 'contract.missed',
        data: { kind: 'once' },
        runAt: new Date(Date.now() + 200),
      });
      // Every 0.6 s: several occurrences pass while the queue is closed.
      const recurring = await queue.add({
        name: 'contract.missed',
        data: { kind: 'often' },
        repeat: { kind: 'interval', minutes: 0.01, anchor: new Date().toISOString() },
        timezone: 'UTC',
      });
      // Closed (no handler ever ran) until both are due, the recurring one three times over.
      await sleep(2000);
      for (const each of opened.splice(0)) await each.close();
      const runs: JobRun[] = [];
      queue = await target.reopen();
      opened.push(queue);
      queue.process('contract.missed', record(runs));
      await queue.start();
      await until(() => runs.length >= 2);
      await sleep(1000);
      await queue.cancel(recurring.id);
      const once = runs.filter((run) => run.job.id === oneOff.id);
      expect(once).toHaveLength(1);
      expect(once[0]!.caughtUp).toBe(true);
      expect(once[0]!.lateMs).toBeGreaterThan(1000);
      const caughtUp = runs.filter((run) => run.job.id === recurring.id && run.caughtUp);
      expect(caughtUp).toHaveLength(1);
      const onTime = runs.filter((run) => run.job.id === recurring.id && !run.caughtUp);
      for (const run of onTime)
        expect(run.due.getTime()).toBeGreaterThan(caughtUp[0]!.due.getTime());
    });
  });
}
