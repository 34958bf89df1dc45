/**
 * The argument checks every storage driver makes, so that all drivers reject the same calls
 * with the same BOTWIRE_INVALID_ARGUMENT messages. A driver calls them before it touches its
 * store; checks that depend on stored state (does this chat exist?) stay in the driver.
 *
 * @example
 * checkKey(namespace, key);
 * const json = encodeJson(value, `The value of ${key}`);
 * const ttlMs = checkTtlMs(options);
 */
import { roles } from '../access/roles';
import { BotwireError } from '../errors/botwire-error';
import type { Identity, NewMessage, SetOptions, UserPatch, UserProfile } from '../ports/storage';

/** A BOTWIRE_INVALID_ARGUMENT error with this message (and the error that caused it). */
export function invalidArgument(message: string, cause?: unknown): BotwireError {
  return new BotwireError('BOTWIRE_INVALID_ARGUMENT', { message, cause });
}

/** Throws unless `value` is a non-empty string; `what` names it in the message. */
export function checkString(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || value === '')
    throw invalidArgument(`${what} must be a non-empty string.`);
}

/** Throws unless a key-value namespace and key are both non-empty strings. */
export function checkKey(namespace: string, key: string): void {
  checkString(namespace, 'namespace');
  checkString(key, 'key');
}

/** Throws unless `identity` is `{ platform, platformId }`; returns a copy with just those. */
export function checkIdentity(identity: Identity): Identity {
  if (typeof identity !== 'object' || identity === null)
    throw invalidArgument('An identity must be { platform, platformId }.');
  checkString(identity.platform, 'identity.platform');
  checkString(identity.platformId, 'identity.platformId');
  return { platform: identity.platform, platformId: identity.platformId };
}

/** Throws unless `profile` is an object whose name, username and locale are strings when set. */
export function checkProfile(profile: UserProfile): void {
  if (typeof profile !== 'object' || profile === null)
    throw invalidArgument('A profile must be an object.');
  for (const field of ['name', 'username', 'locale'] as const) {
    const value = profile[field];
    if (value !== undefined && typeof value !== 'string')
      throw invalidArgument(`${field} must be a string.`);
  }
}

/** Throws unless `value` is a plain object (not null, not an array). */
export function checkObject(
  value: unknown,
  what: string,
): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidArgument(`${what} must be an object.`);
}

/** Throws unless `patch` is a valid {@link UserPatch}: profile fields, a known role or null, object data. */
export function checkUserPatch(patch: UserPatch): void {
  checkProfile(patch);
  if (patch.role !== undefined && patch.role !== null && !roles.includes(patch.role)) {
    throw invalidArgument(
      `role must be one of ${roles.join(', ')} or null; got ${JSON.stringify(patch.role)}.`,
    );
  }
  if (patch.data !== undefined) checkObject(patch.data, 'data');
}

/** Throws unless a chat's type is `private` or `group`. */
export function checkChatInfo(info: { type: 'private' | 'group'; title?: string }): void {
  if (info?.type !== 'private' && info?.type !== 'group')
    throw invalidArgument("A chat's type must be private or group.");
}

/**
 * Throws unless a new message's direction, text, date and meta are valid. Call it after
 * checking that `message` is an object and that its chat and user are acceptable.
 */
export function checkMessageFields(message: NewMessage): void {
  if (message.direction !== 'in' && message.direction !== 'out')
    throw invalidArgument('direction must be in or out.');
  if (typeof message.text !== 'string') throw invalidArgument("A message's text must be a string.");
  if (
    message.at !== undefined &&
    !(message.at instanceof Date && !Number.isNaN(message.at.getTime()))
  ) {
    throw invalidArgument("A message's at must be a valid Date.");
  }
  if (message.meta !== undefined) checkObject(message.meta, 'meta');
}

/** Throws unless a limit or offset is undefined or a non-negative integer. */
export function checkCount(value: number | undefined, what: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw invalidArgument(`${what} must be a non-negative integer; got ${String(value)}.`);
  }
}

/** `JSON.stringify(value)`, or a BOTWIRE_INVALID_ARGUMENT error when it is not JSON. */
export function encodeJson(value: unknown, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw invalidArgument(`${what} is not JSON-serializable.`, error);
  }
  if (json === undefined)
    throw invalidArgument(`${what} is not JSON-serializable (got ${typeof value}).`);
  return json;
}

/** The `ttlMs` of set options, checked to be a positive finite number; undefined when unset. */
export function checkTtlMs(options: SetOptions | undefined): number | undefined {
  const ttlMs = options?.ttlMs;
  if (ttlMs === undefined) return undefined;
  if (typeof ttlMs !== 'number' || !(ttlMs > 0) || !Number.isFinite(ttlMs)) {
    throw invalidArgument(`ttlMs must be a positive number of milliseconds; got ${String(ttlMs)}.`);
  }
  return ttlMs;
}

/** Throws unless the amount of an increment is a finite number. */
export function checkIncrement(by: unknown): asserts by is number {
  if (typeof by !== 'number' || !Number.isFinite(by))
    throw invalidArgument(`An increment must be a finite number; got ${String(by)}.`);
}

/**
 * The value after incrementing the stored `current` (parsed JSON) by `by`. Throws when the
 * stored value is not a number or the sum is not finite, so drivers fail alike.
 */
export function incremented(current: unknown, by: number, key: string): number {
  if (typeof current !== 'number')
    throw invalidArgument(`The value of ${key} is not a number, so it cannot be incremented.`);
  const value = current + by;
  if (!Number.isFinite(value))
    throw invalidArgument(`Incrementing ${key} by ${by} would leave the range of numbers.`);
  return value;
}

/**
 * The smallest string after every string that starts with `prefix` (code point order): the
 * end of a key range for a prefix search. Undefined when no string is after them all.
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix, (character) => character.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < 0x10ffff)
      return String.fromCodePoint(...points, last === 0xd7ff ? 0xe000 : last + 1);
  }
  return undefined;
}
