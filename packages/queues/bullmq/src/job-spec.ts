import {
  BotwireError,
  checkRecurrence,
  checkTimezone,
  type JobSpec,
  nextOccurrences,
} from '@botwire/core';

const invalid = (message: string, hint?: string) =>
  new BotwireError('BOTWIRE_INVALID_ARGUMENT', { message, ...(hint ? { hint } : {}) });

/** The longest retry delay: the doubling stops here. */
export const maxBackoffMs = 5 * 60_000;

/**
 * Checks a job spec before anything is stored; throws BOTWIRE_INVALID_ARGUMENT saying what is
 * wrong.
 */
export function checkSpec(spec: JobSpec): void {
  if (typeof spec !== 'object' || spec === null) throw invalid('The job spec is not an object.');
  if (typeof spec.name !== 'string' || spec.name.trim() === '') {
    throw invalid('A job needs a name (the handler it runs, such as "reminders.fire").');
  }
  if (typeof spec.data !== 'object' || spec.data === null || Array.isArray(spec.data)) {
    throw invalid(`The data of job "${spec.name}" must be an object.`);
  }
  try {
    JSON.stringify(spec.data);
  } catch (error) {
    throw invalid(
      `The data of job "${spec.name}" is not JSON-serializable: ${(error as Error).message}`,
    );
  }
  if (
    spec.runAt !== undefined &&
    (!(spec.runAt instanceof Date) || Number.isNaN(spec.runAt.getTime()))
  ) {
    throw invalid(`runAt of job "${spec.name}" is not a valid Date.`);
  }
  if (spec.repeat !== undefined) {
    checkRecurrence(spec.repeat);
    if (spec.timezone === undefined) {
      throw invalid(
        `Job "${spec.name}" repeats but has no timezone.`,
        'Give the IANA zone of the user (timezone: "Europe/Berlin") or UTC±HH:MM.',
      );
    }
  }
  if (spec.timezone !== undefined) checkTimezone(spec.timezone);
  const whole = (value: unknown, field: string, min: number, max: number) => {
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
      throw invalid(
        `${field} of job "${spec.name}" must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}.`,
      );
    }
  };
  if (spec.attempts !== undefined) whole(spec.attempts, 'attempts', 1, 100);
  if (spec.backoffMs !== undefined) whole(spec.backoffMs, 'backoffMs', 0, maxBackoffMs);
  if (spec.dedupeMs !== undefined) whole(spec.dedupeMs, 'dedupeMs', 1, Number.MAX_SAFE_INTEGER);
  if (spec.key !== undefined && (typeof spec.key !== 'string' || spec.key === '')) {
    throw invalid(`key of job "${spec.name}" must be a non-empty string.`);
  }
  if (spec.owner !== undefined && (typeof spec.owner !== 'string' || spec.owner === '')) {
    throw invalid(`owner of job "${spec.name}" must be a non-empty string.`);
  }
}

/**
 * When a checked spec first runs: `runAt` (default now) for a one-off; for a recurring job its
 * first occurrence at or after `runAt` (default: strictly after now).
 */
export function firstRunAt(spec: JobSpec, now: number): number {
  if (!spec.repeat) return spec.runAt?.getTime() ?? now;
  const after = spec.runAt ? new Date(spec.runAt.getTime() - 1) : new Date(now);
  const [first] = nextOccurrences(spec.repeat, spec.timezone as string, after, 1);
  if (!first)
    throw invalid(`The rule of job "${spec.name}" has no occurrence after ${after.toISOString()}.`);
  return first.getTime();
}

/** The next occurrence of a recurring job strictly after `after`, or undefined. */
export function nextRunAt(
  repeat: NonNullable<JobSpec['repeat']>,
  timezone: string,
  after: number,
): number | undefined {
  return nextOccurrences(repeat, timezone, new Date(after), 1)[0]?.getTime();
}
