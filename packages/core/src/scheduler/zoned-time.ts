import { BotwireError } from '../errors/botwire-error';

/** A wall-clock time in some time zone; `month` is 1–12, `second` defaults to 0. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

/** What a clock in a time zone shows at an instant; `weekday` is 1 = Monday … 7 = Sunday. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

type Zone =
  | { kind: 'fixed'; offsetMinutes: number }
  | { kind: 'named'; format: Intl.DateTimeFormat };

const dayMs = 86_400_000;
const zones = new Map<string, Zone>();

/**
 * Checks that `zone` is a time zone this module understands: an IANA name (`Europe/Berlin`) or
 * an offset `UTC±HH:MM` (`UTC+03:00`; `UTC` alone is `UTC+00:00`). Throws
 * BOTWIRE_INVALID_ARGUMENT otherwise.
 */
export function checkTimezone(zone: unknown): asserts zone is string {
  resolveZone(zone);
}

/** The number of days of a month (`month` 1–12), leap years included. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(year: number, month: number, day: number): number {
  const sunday0 = new Date(utcMs(year, month, day, 0, 0, 0)).getUTCDay();
  return sunday0 === 0 ? 7 : sunday0;
}

/**
 * The instant at which clocks in `zone` show `wall`. A wall time that a DST change skips is
 * moved forward by the gap (02:30 on a spring-forward night in New York is 03:30 EDT); a wall
 * time that happens twice takes its first occurrence.
 *
 * @example
 * toInstant({ year: 2027, month: 3, day: 14, hour: 9, minute: 0 }, 'America/New_York');
 * // 2027-03-14T13:00:00.000Z
 */
export function toInstant(wall: WallTime, zone: string): Date {
  const resolved = resolveZone(zone);
  checkWallTime(wall);
  const local = utcMs(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second ?? 0);
  if (resolved.kind === 'fixed') return new Date(local - resolved.offsetMinutes * 60_000);
  // Offsets a day before and after bracket any transition near this wall time.
  const before = offsetMs(resolved, local - dayMs);
  const after = offsetMs(resolved, local + dayMs);
  const candidates = [local - before, local - after].filter(
    (instant) => instant + offsetMs(resolved, instant) === local,
  );
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // Skipped by a DST gap: read the wall time with the offset from before the gap.
  return new Date(local - before);
}

/** What clocks in `zone` show at `instant`, with the weekday (1 = Monday … 7 = Sunday). */
export function wallClock(instant: Date, zone: string): WallClock {
  const resolved = resolveZone(zone);
  checkInstant(instant);
  const shifted = new Date(instant.getTime() + offsetMs(resolved, instant.getTime()));
  const year = shifted.getUTCFullYear();
  const month = shifted.getUTCMonth() + 1;
  const day = shifted.getUTCDate();
  return {
    year,
    month,
    day,
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    weekday: weekdayOf(year, month, day),
  };
}

/** The offset of `zone` from UTC at `instant`, in minutes (New York in summer: -240). */
export function zoneOffsetMinutes(instant: Date, zone: string): number {
  checkInstant(instant);
  return Math.round(offsetMs(resolveZone(zone), instant.getTime()) / 60_000);
}

/**
 * `instant` as ISO-8601 in `zone`'s wall clock with that zone's offset at that instant;
 * milliseconds appear only when they are not zero.
 *
 * @example
 * formatInstant(new Date('2027-03-14T13:00:00Z'), 'America/New_York'); // '2027-03-14T09:00:00-04:00'
 */
export function formatInstant(instant: Date, zone: string): string {
  const clock = wallClock(instant, zone);
  const offset = zoneOffsetMinutes(instant, zone);
  const milliseconds = ((instant.getTime() % 1000) + 1000) % 1000;
  const sign = offset < 0 ? '-' : '+';
  const absolute = Math.abs(offset);
  const year =
    clock.year >= 0 && clock.year <= 9999
      ? pad(clock.year, 4)
      : `${clock.year < 0 ? '-' : '+'}${pad(Math.abs(clock.year), 6)}`;
  return (
    `${year}-${pad(clock.month)}-${pad(clock.day)}T${pad(clock.hour)}:${pad(clock.minute)}:` +
    `${pad(clock.second)}${milliseconds ? `.${pad(milliseconds, 3)}` : ''}` +
    `${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`
  );
}

/**
 * Reads an ISO-8601 date-time that names its offset (`2027-03-14T09:00:00-04:00`, or `Z`).
 * Throws BOTWIRE_INVALID_ARGUMENT for anything else, including a date-time without an offset
 * (it would name no instant) and impossible dates such as 2027-02-29.
 */
export function parseInstant(text: unknown, what = 'The date-time'): Date {
  const match =
    typeof text === 'string'
      ? /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/.exec(
          text.trim(),
        )
      : null;
  const invalid = () =>
    new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `${what} ${JSON.stringify(text)} is not an ISO-8601 date-time with an offset.`,
      hint: 'Write it like 2027-03-14T09:00:00-04:00 or 2027-03-14T13:00:00Z.',
    });
  if (!match) throw invalid();
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((index) =>
    Number(match[index] ?? 0),
  ) as [number, number, number, number, number, number];
  const offsetHours = Number(match[10] ?? 0);
  const offsetMinutes = Number(match[11] ?? 0);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetHours > 14 ||
    offsetMinutes > 59
  ) {
    throw invalid();
  }
  const fraction = Math.floor(Number(`0.${match[7] ?? '0'}`) * 1000);
  const offset = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  return new Date(utcMs(year, month, day, hour, minute, second) + fraction - offset * 60_000);
}

function resolveZone(zone: unknown): Zone {
  if (typeof zone !== 'string' || zone.trim() === '') {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `The time zone ${JSON.stringify(zone)} is not a time zone.`,
      hint: 'Give an IANA name such as Europe/Berlin, or an offset such as UTC+03:00.',
    });
  }
  const cached = zones.get(zone);
  if (cached) return cached;
  let resolved: Zone | undefined;
  const offset = /^(?:UTC|GMT)(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$/i.exec(zone.trim());
  if (offset) {
    const hours = Number(offset[2] ?? 0);
    const minutes = Number(offset[3] ?? 0);
    if (hours < 14 || (hours === 14 && minutes === 0)) {
      if (minutes < 60) {
        const sign = offset[1] === '-' ? -1 : 1;
        resolved = { kind: 'fixed', offsetMinutes: sign * (hours * 60 + minutes) };
      }
    }
  } else if (/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(zone.trim())) {
    try {
      const format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone.trim(),
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
      resolved = { kind: 'named', format };
    } catch {
      resolved = undefined;
    }
  }
  if (!resolved) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `Unknown time zone ${JSON.stringify(zone)}.`,
      hint: 'Give an IANA name such as Europe/Berlin or America/New_York, or an offset such as UTC+03:00.',
      details: { timezone: zone },
    });
  }
  zones.set(zone, resolved);
  return resolved;
}

/** The zone's offset from UTC at `instant` (ms since epoch), in milliseconds. */
function offsetMs(zone: Zone, instant: number): number {
  if (zone.kind === 'fixed') return zone.offsetMinutes * 60_000;
  const seconds = Math.floor(instant / 1000) * 1000;
  const parts: Record<string, string> = {};
  for (const part of zone.format.formatToParts(new Date(seconds))) parts[part.type] = part.value;
  const era = parts.era?.startsWith('B') ? -1 : 1;
  const year = era === 1 ? Number(parts.year) : 1 - Number(parts.year);
  const local = utcMs(
    year,
    Number(parts.month),
    Number(parts.day),
    Number(parts.hour) % 24,
    Number(parts.minute),
    Number(parts.second),
  );
  return local - seconds;
}

/** Milliseconds since the epoch of a UTC wall time (years 0–99 included, unlike Date.UTC). */
function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

function checkWallTime(wall: WallTime): void {
  const whole = (value: unknown, min: number, max: number) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
  const fine =
    typeof wall === 'object' &&
    wall !== null &&
    whole(wall.year, -271_820, 275_759) &&
    whole(wall.month, 1, 12) &&
    whole(wall.day, 1, daysInMonth(wall.year, wall.month)) &&
    whole(wall.hour, 0, 23) &&
    whole(wall.minute, 0, 59) &&
    (wall.second === undefined || whole(wall.second, 0, 59));
  if (!fine) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `${JSON.stringify(wall)} is not a wall-clock time.`,
      hint: 'Give integers: month 1–12, a day that month has, hour 0–23, minute and second 0–59.',
    });
  }
}

function checkInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: 'The instant is not a valid Date.',
    });
  }
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}
