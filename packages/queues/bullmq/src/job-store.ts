import type { JobFilter, JobRecord, JobState } from '@botwire/core';
import type { Redis } from 'ioredis';
import { type JobScriptName, jobScripts } from './job-scripts';

/** A record as the store keeps it: the port's record and the retry delay. */
export interface StoredJob {
  record: JobRecord;
  backoffMs: number;
}

/** What {@link JobStore.begin} found. */
export type BeginResult =
  | { status: 'run'; job: StoredJob }
  | { status: 'missing' | 'inactive' | 'stale' };

const states: JobState[] = ['queued', 'running', 'retrying', 'done', 'failed', 'cancelled'];

/** The hash fields of a new record. */
function fieldsOf(record: JobRecord, backoffMs: number, dedupeMs: number | undefined): string[] {
  const fields: Record<string, string | undefined> = {
    id: record.id,
    name: record.name,
    data: JSON.stringify(record.data),
    state: record.state,
    runAt: String(record.runAt.getTime()),
    repeat: record.repeat ? JSON.stringify(record.repeat) : undefined,
    timezone: record.timezone,
    key: record.key,
    owner: record.owner,
    attempts: String(record.attempts),
    backoffMs: String(backoffMs),
    dedupeMs: dedupeMs === undefined ? undefined : String(dedupeMs),
    attemptsMade: '0',
    runs: '0',
    createdAt: String(record.createdAt.getTime()),
    updatedAt: String(record.updatedAt.getTime()),
  };
  return Object.entries(fields).flatMap(([field, value]) =>
    value === undefined ? [] : [field, value],
  );
}

/** A record from its hash (`HGETALL`). */
export function parseJob(hash: Record<string, string>): StoredJob {
  const record: JobRecord = {
    id: hash.id ?? '',
    name: hash.name ?? '',
    data: JSON.parse(hash.data ?? '{}') as Record<string, unknown>,
    state: (hash.state ?? 'queued') as JobState,
    runAt: new Date(Number(hash.runAt)),
    attempts: Number(hash.attempts ?? 3),
    attemptsMade: Number(hash.attemptsMade ?? 0),
    runs: Number(hash.runs ?? 0),
    createdAt: new Date(Number(hash.createdAt)),
    updatedAt: new Date(Number(hash.updatedAt)),
  };
  if (hash.repeat) record.repeat = JSON.parse(hash.repeat) as JobRecord['repeat'];
  if (hash.timezone) record.timezone = hash.timezone;
  if (hash.key) record.key = hash.key;
  if (hash.owner) record.owner = hash.owner;
  if (hash.lastError) record.lastError = hash.lastError;
  return { record, backoffMs: Number(hash.backoffMs ?? 1000) };
}

const pairsToHash = (pairs: string[]): Record<string, string> => {
  const hash: Record<string, string> = {};
  for (let index = 0; index + 1 < pairs.length; index += 2) hash[pairs[index]!] = pairs[index + 1]!;
  return hash;
};

type ScriptCall = (...args: (string | number)[]) => Promise<unknown>;

/**
 * The records of jobs in Redis (see `job-scripts.ts` for the key layout). Every change of a
 * record is one Lua script, so two processes never interleave inside one.
 */
export class JobStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    for (const [name, lua] of Object.entries(jobScripts)) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 0, lua });
    }
  }

  private script(name: JobScriptName, ...args: (string | number)[]): Promise<unknown> {
    const call = (this.redis as unknown as Record<string, ScriptCall>)[name]!;
    return call.call(this.redis, this.prefix, ...args);
  }

  private jobKey(id: string) {
    return `${this.prefix}:job:${id}`;
  }

  /** Stores a new record, or returns the active one with the same key (storing nothing). */
  async add(
    record: JobRecord,
    backoffMs: number,
    dedupeMs: number | undefined,
  ): Promise<StoredJob | undefined> {
    const existing = (await this.script(
      'botwireJobAdd',
      record.id,
      record.runAt.getTime(),
      record.key ?? '',
      dedupeMs ?? '',
      ...fieldsOf(record, backoffMs, dedupeMs),
    )) as string[];
    return existing.length > 0 ? parseJob(pairsToHash(existing)) : undefined;
  }

  async get(id: string): Promise<StoredJob | undefined> {
    const hash = await this.redis.hgetall(this.jobKey(id));
    return hash.id ? parseJob(hash) : undefined;
  }

  /** Several records at once (missing ones left out). */
  async getMany(ids: string[]): Promise<StoredJob[]> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.jobKey(id));
    const found: StoredJob[] = [];
    for (const [error, hash] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      if ((hash as Record<string, string>).id) found.push(parseJob(hash as Record<string, string>));
    }
    return found;
  }

  /** Marks the occurrence due at `due` running, when it is the job's current one. */
  async begin(id: string, due: number, attempt: number): Promise<BeginResult> {
    const result = (await this.script('botwireJobBegin', id, due, attempt, Date.now())) as string[];
    const [status, ...pairs] = result;
    if (status === 'run') return { status, job: parseJob(pairsToHash(pairs)) };
    return { status: status as 'missing' | 'inactive' | 'stale' };
  }

  /** Records a failed try that BullMQ will retry. */
  async retry(id: string, due: number, error: string): Promise<void> {
    await this.script('botwireJobRetry', id, due, error, Date.now());
  }

  /**
   * Finishes the occurrence due at `due` once; `nextDue` moves a recurring job on. Returns
   * `next` when the caller must enqueue the next occurrence, `ended` when the job is finished,
   * `ignored` when the occurrence was no longer the job's current one.
   */
  async finish(
    id: string,
    due: number,
    outcome: 'done' | 'failed',
    error: string | undefined,
    nextDue: number | undefined,
  ): Promise<'next' | 'ended' | 'ignored'> {
    const result = Number(
      await this.script(
        'botwireJobFinish',
        id,
        due,
        outcome,
        error ?? '',
        nextDue ?? '',
        Date.now(),
      ),
    );
    return result === 1 ? 'next' : result === 2 ? 'ended' : 'ignored';
  }

  /** Cancels an active job; returns the due time of its pending occurrence, or undefined. */
  async cancel(id: string): Promise<number | undefined> {
    const result = await this.script('botwireJobCancel', id, Date.now());
    return typeof result === 'string' ? Number(result) : undefined;
  }

  /** Deletes records that finished before `before`, a batch at a time; returns how many. */
  async prune(before: number): Promise<number> {
    let total = 0;
    for (;;) {
      const count = Number(await this.script('botwireJobPrune', before, 500));
      total += count;
      if (count < 500) return total;
    }
  }

  /** The ids of jobs in a state, soonest first. */
  idsInState(state: JobState): Promise<string[]> {
    return this.redis.zrange(`${this.prefix}:state:${state}`, 0, -1);
  }

  async counts(): Promise<Record<JobState, number>> {
    const pipeline = this.redis.pipeline();
    for (const state of states) pipeline.zcard(`${this.prefix}:state:${state}`);
    const results = (await pipeline.exec()) ?? [];
    const counts = {} as Record<JobState, number>;
    states.forEach((state, index) => {
      const [error, count] = results[index] ?? [null, 0];
      if (error) throw error;
      counts[state] = Number(count);
    });
    return counts;
  }

  /**
   * Jobs matching `filter`, soonest first, read from the narrowest index the filter allows
   * (key, owner, name, one state, or all) a page at a time.
   */
  async list(filter: JobFilter): Promise<JobRecord[]> {
    const limit = filter.limit ?? Number.POSITIVE_INFINITY;
    const index =
      filter.key !== undefined
        ? `jobs:key:${filter.key}`
        : filter.owner !== undefined
          ? `jobs:owner:${filter.owner}`
          : filter.name !== undefined
            ? `jobs:name:${filter.name}`
            : filter.states?.length === 1
              ? `state:${filter.states[0]}`
              : 'jobs';
    const wanted = filter.states ? new Set(filter.states) : undefined;
    const found: JobRecord[] = [];
    const page = 200;
    for (let start = 0; found.length < limit; start += page) {
      const ids = await this.redis.zrange(`${this.prefix}:${index}`, start, start + page - 1);
      if (ids.length === 0) break;
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hgetall(this.jobKey(id));
      for (const [error, hash] of (await pipeline.exec()) ?? []) {
        if (error) throw error;
        const fields = hash as Record<string, string>;
        if (!fields.id) continue;
        const { record } = parseJob(fields);
        if (filter.name !== undefined && record.name !== filter.name) continue;
        if (filter.owner !== undefined && record.owner !== filter.owner) continue;
        if (filter.key !== undefined && record.key !== filter.key) continue;
        if (wanted && !wanted.has(record.state)) continue;
        found.push(record);
        if (found.length >= limit) break;
      }
      if (ids.length < page) break;
    }
    return found;
  }
}
