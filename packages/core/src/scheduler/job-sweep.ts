import type { KeyValueStore } from '../ports/storage';
import { dropStaleKey } from './job-dedupe';
import {
  activeStates,
  cancelKey,
  jobKey,
  jobPrefix,
  type KeyHolder,
  type StoredJob,
} from './job-store';

/**
 * Deletes jobs finished (done, failed or cancelled) more than `retentionMs` ago, with their
 * cancel marks, then the de-duplication keys whose jobs are gone. Reads every job record.
 */
export async function sweepJobs(
  kv: KeyValueStore,
  namespace: string,
  now: number,
  retentionMs: number,
): Promise<number> {
  const jobs = await kv.list<StoredJob>(namespace, { prefix: jobPrefix });
  let removed = 0;
  for (const { value: job } of jobs) {
    if (activeStates.has(job.state) || now - job.updatedAt < retentionMs) continue;
    await kv.delete(namespace, jobKey(job.id));
    await kv.delete(namespace, cancelKey(job.id));
    removed += 1;
  }
  if (removed > 0) {
    for (const { key, value } of await kv.list<KeyHolder>(namespace, { prefix: 'key:' }))
      await dropStaleKey(kv, namespace, key.slice('key:'.length), value, now);
  }
  return removed;
}
