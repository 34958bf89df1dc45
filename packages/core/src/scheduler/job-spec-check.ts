import type { JobSpec } from '../ports/job-queue';
import { invalidArgument } from '../storage/check-storage-arguments';
import type { StoredJob } from './job-store';
import { checkRecurrence, nextOccurrences, type Recurrence } from './recurrence';
import { checkTimezone } from './zoned-time';

/** A job spec after {@link checkJobSpec}: defaults filled in, data copied, first due time known. */
export interface CheckedJobSpec {
  name: string;
  data: Record<string, unknown>;
  /** The first occurrence's due time, in ms. */
  due: number;
  repeat?: Recurrence;
  timezone?: string;
  key?: string;
  dedupeMs?: number;
  owner?: string;
  attempts: number;
  backoffMs: number;
}

/** The longest name, key or owner, in characters. */
export const maxLabelLength = 200;
/** The largest `data`, as UTF-8 JSON. */
export const maxDataBytes = 64 * 1024;

function checkLabel(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '')
    throw invalidArgument(`The job's ${what} must be a non-empty string.`);
  if (value.length > maxLabelLength)
    throw invalidArgument(
      `The job's ${what} is ${value.length} characters long; it may have at most ${maxLabelLength}.`,
    );
  return value;
}

/** Throws unless `value` is made of plain objects, arrays, strings, finite numbers, booleans and null. */
function checkJsonValue(value: unknown, path: string, seen: Set<object>): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return;
    throw invalidArgument(`The job's data is not JSON: ${path} is ${value}.`);
  }
  if (typeof value !== 'object') {
    throw invalidArgument(`The job's data is not JSON: ${path} is a ${typeof value}.`);
  }
  if (seen.has(value)) throw invalidArgument(`The job's data is not JSON: ${path} is circular.`);
  const prototype = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) {
    throw invalidArgument(
      `The job's data is not JSON: ${path} is a ${prototype?.constructor?.name ?? 'class instance'}; store plain objects (a Date as an ISO string).`,
    );
  }
  seen.add(value);
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) checkJsonValue(item, `${path}[${index}]`, seen);
  } else {
    for (const [field, item] of Object.entries(value))
      checkJsonValue(item, `${path}.${field}`, seen);
  }
  seen.delete(value);
}

function checkData(data: unknown): Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw invalidArgument(
      "The job's data must be an object of JSON values ({} when there is none).",
    );
  checkJsonValue(data, 'data', new Set());
  const json = JSON.stringify(data);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > maxDataBytes) {
    throw invalidArgument(
      `The job's data is ${bytes} bytes of JSON; it may have at most ${maxDataBytes}. Store large inputs elsewhere and pass their id.`,
    );
  }
  return JSON.parse(json) as Record<string, unknown>;
}

function checkWhole(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalidArgument(
      `${what} must be a whole number from ${min} to ${max}; got ${String(value)}.`,
    );
  return value;
}

function checkDuration(value: unknown, what: string, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
    throw invalidArgument(
      `${what} must be a number of milliseconds ≥ ${min}; got ${String(value)}.`,
    );
  return value;
}

/**
 * Checks a {@link JobSpec} and fills in its defaults; throws BOTWIRE_INVALID_ARGUMENT saying
 * what to fix. A recurring job's first due time is its rule's first occurrence at or after
 * `runAt` (default: after `now`); a one-off's is `runAt` (default `now`).
 */
export function checkJobSpec(spec: JobSpec, now: number): CheckedJobSpec {
  if (typeof spec !== 'object' || spec === null)
    throw invalidArgument('A job spec must be an object.');
  const name = checkLabel(spec.name, 'name');
  const data = checkData(spec.data);
  let runAt: number | undefined;
  if (spec.runAt !== undefined) {
    if (!(spec.runAt instanceof Date) || Number.isNaN(spec.runAt.getTime()))
      throw invalidArgument(`runAt must be a valid Date; got ${String(spec.runAt)}.`);
    runAt = Math.max(0, spec.runAt.getTime());
  }
  const checked: CheckedJobSpec = {
    name,
    data,
    due: runAt ?? now,
    attempts: spec.attempts === undefined ? 3 : checkWhole(spec.attempts, 'attempts', 1, 100),
    backoffMs: spec.backoffMs === undefined ? 1000 : checkDuration(spec.backoffMs, 'backoffMs', 0),
  };
  if (spec.timezone !== undefined) {
    checkTimezone(spec.timezone);
    checked.timezone = spec.timezone;
  }
  if (spec.repeat !== undefined) {
    checkRecurrence(spec.repeat);
    if (checked.timezone === undefined)
      throw invalidArgument(
        'A recurring job needs a timezone (an IANA name such as "Europe/Berlin", or "UTC+02:00").',
      );
    checked.repeat = structuredClone(spec.repeat);
    const after = runAt === undefined ? now : runAt - 1;
    const [first] = nextOccurrences(checked.repeat, checked.timezone, new Date(after), 1);
    if (!first) throw invalidArgument('The recurrence rule has no occurrence after runAt.');
    checked.due = first.getTime();
  }
  if (spec.key !== undefined) checked.key = checkLabel(spec.key, 'key');
  if (spec.dedupeMs !== undefined) checked.dedupeMs = checkDuration(spec.dedupeMs, 'dedupeMs', 1);
  if (spec.owner !== undefined) checked.owner = checkLabel(spec.owner, 'owner');
  return checked;
}

/** A new job's record, queued for its first due time. */
export function newStoredJob(checked: CheckedJobSpec, id: string, now: number): StoredJob {
  return {
    id,
    name: checked.name,
    data: checked.data,
    state: 'queued',
    due: checked.due,
    at: checked.due,
    ...(checked.repeat === undefined ? {} : { repeat: checked.repeat }),
    ...(checked.timezone === undefined ? {} : { timezone: checked.timezone }),
    ...(checked.key === undefined ? {} : { key: checked.key }),
    ...(checked.owner === undefined ? {} : { owner: checked.owner }),
    attempts: checked.attempts,
    backoffMs: checked.backoffMs,
    attemptsMade: 0,
    runs: 0,
    createdAt: now,
    updatedAt: now,
  };
}
