import { setTimeout as delay } from 'node:timers/promises';
import { BotwireError } from '../errors/botwire-error';
import type { KeyValueStore } from '../ports/storage';
import {
  activeStates,
  holderKey,
  jobKey,
  type KeyHolder,
  keyFreeKey,
  type StoredJob,
} from './job-store';

/** How long a key holder whose job is not written yet is taken for an add in progress. */
export const holderGraceMs = 60_000;
const tries = 50;

/**
 * Takes the de-duplication key `key` for the job `id`, or returns the active job that holds it.
 * The key is added atomically (`kv.add`, with `dedupeMs` as its TTL); a holder whose job has
 * finished (or was never written) is replaced by the one caller that adds
 * `keyfree:<key>:<holder>`, so two callers never both replace it.
 */
export async function takeKey(
  kv: KeyValueStore,
  namespace: string,
  key: string,
  holder: KeyHolder,
  dedupeMs: number | undefined,
): Promise<StoredJob | undefined> {
  for (let attempt = 0; attempt < tries; attempt++) {
    const options = dedupeMs === undefined ? undefined : { ttlMs: dedupeMs };
    if (await kv.add(namespace, holderKey(key), holder, options)) return undefined;
    const current = await kv.get<KeyHolder>(namespace, holderKey(key));
    if (!current) continue;
    const job = await kv.get<StoredJob>(namespace, jobKey(current.id));
    if (job && activeStates.has(job.state)) return job;
    if (!job && holder.at - current.at < holderGraceMs) {
      // Another add wrote the key and is writing its job now.
      await delay(20);
      continue;
    }
    if (await kv.add(namespace, keyFreeKey(key, current.id), holder.id, { ttlMs: holderGraceMs }))
      await kv.delete(namespace, holderKey(key));
    else await delay(5);
  }
  throw new BotwireError('BOTWIRE_QUEUE_FAILED', {
    message: `The de-duplication key ${JSON.stringify(key)} stayed taken by a job that is not active.`,
  });
}

/**
 * Deletes the holder of `key` when its job is gone (swept) and the holder is older than the
 * grace, through the same `keyfree:` step as {@link takeKey}.
 */
export async function dropStaleKey(
  kv: KeyValueStore,
  namespace: string,
  key: string,
  current: KeyHolder,
  now: number,
): Promise<void> {
  if (now - current.at < holderGraceMs) return;
  if ((await kv.get(namespace, jobKey(current.id))) !== undefined) return;
  if (await kv.add(namespace, keyFreeKey(key, current.id), 'sweep', { ttlMs: holderGraceMs }))
    await kv.delete(namespace, holderKey(key));
}
