/**
 * Reads a time zone as people write it: an IANA name (`Europe/Berlin`, any case), or an offset
 * from UTC (`UTC+3`, `GMT-05:30`, `+03:00`, `UTC`), and returns it in one form: the IANA
 * name as the system spells it, or `UTC±HH:MM`. Returns undefined for anything else.
 *
 * @example
 * normalizeTimezone('utc+3'); // 'UTC+03:00'
 * normalizeTimezone('europe/berlin'); // 'Europe/Berlin'
 */
export function normalizeTimezone(text: string): string | undefined {
  const trimmed = text.trim().replace(/−/g, '-');
  if (/^(?:utc|gmt|z)$/i.test(trimmed)) return 'UTC+00:00';
  const offset = /^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?:[:.]?(\d{2}))?$/i.exec(trimmed);
  if (offset) {
    const hours = Number(offset[2]);
    const minutes = Number(offset[3] ?? 0);
    if (hours > 14 || minutes >= 60 || (hours === 14 && minutes > 0)) return undefined;
    if (![0, 30, 45].includes(minutes)) return undefined;
    return `UTC${offset[1]}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
  }
  if (!/^[A-Za-z][A-Za-z_]*(?:\/[A-Za-z0-9_+-]+)+$/.test(trimmed)) return undefined;
  const known = supportedZones().get(trimmed.toLowerCase());
  if (known) return known;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

let zones: Map<string, string> | undefined;

/** The IANA names this Node knows, by lower case, so `europe/moscow` finds `Europe/Moscow`. */
function supportedZones(): Map<string, string> {
  if (!zones) {
    const names =
      typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    zones = new Map(names.map((name) => [name.toLowerCase(), name]));
  }
  return zones;
}

/** The time now in a zone from {@link normalizeTimezone}, as `HH:MM`, for the reply. */
export function timeIn(timezone: string, now: Date = new Date()): string {
  const offset = /^UTC([+-])(\d{2}):(\d{2})$/.exec(timezone);
  if (offset) {
    const sign = offset[1] === '-' ? -1 : 1;
    const shifted = new Date(
      now.getTime() + sign * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000,
    );
    return shifted.toISOString().slice(11, 16);
  }
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(now);
}
