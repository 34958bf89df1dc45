import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BotwireError } from '../errors/botwire-error';
import { type Logger, silentLogger } from '../logging/logger';
import { KeyRing, keyIdPattern, keyLength } from './key-ring';

/** Options for {@link loadKeyRing}. */
export interface LoadKeyRingOptions {
  /** Where BOTWIRE_SECRET_KEYS and BOTWIRE_SECRET_ACTIVE_KEY are read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The bot's data directory: the key file `secret-keys` lives there when the environment has no keys. */
  dataDir: string;
  log?: Logger;
  /** The clock a generated key's id is dated by (`local-20261128`); default: now. */
  now?: () => Date;
}

/** The name of the key file in the data directory. */
export const secretKeyFileName = 'secret-keys';

const formatHint =
  'Each entry is kid:base64key (comma-separated in BOTWIRE_SECRET_KEYS, one a line in the key file); a key is 32 random bytes, such as from `openssl rand -base64 32`.';

function keysInvalid(message: string, hint = formatHint): BotwireError {
  return new BotwireError('BOTWIRE_SECRET_KEYS_INVALID', { message, hint });
}

/**
 * The key ring of the bot's secrets.
 *
 * - `BOTWIRE_SECRET_KEYS=kid:base64key,kid2:base64key` gives the keys (32 bytes each, standard
 *   or url-safe base64); `BOTWIRE_SECRET_ACTIVE_KEY` names the one that encrypts, and may be
 *   left out when there is one key.
 * - Without it, the keys are in `<dataDir>/secret-keys` (a `kid:base64key` a line, the first
 *   active unless BOTWIRE_SECRET_ACTIVE_KEY names another). When that file does not exist, a
 *   key is generated into it (mode 0600) and a warning says to back it up.
 *
 * Throws BOTWIRE_SECRET_KEYS_INVALID naming the bad entry by position and key id, never
 * quoting key material.
 */
export function loadKeyRing(options: LoadKeyRingOptions): KeyRing {
  const env = options.env ?? process.env;
  const log = options.log ?? silentLogger;
  const active = env.BOTWIRE_SECRET_ACTIVE_KEY?.trim() || undefined;
  const fromEnvironment = env.BOTWIRE_SECRET_KEYS?.trim();
  if (fromEnvironment) {
    const entries = fromEnvironment
      .split(',')
      .map((text, index) => ({ text: text.trim(), where: `entry ${index + 1}` }))
      .filter((entry) => entry.text !== '');
    return keyRingFrom(entries, { source: 'BOTWIRE_SECRET_KEYS', active, firstIsActive: false });
  }
  const path = join(options.dataDir, secretKeyFileName);
  const text = readKeyFile(path, log) ?? createKeyFile(path, options, log);
  const entries = text
    .split(/\r?\n/)
    .map((line, index) => ({ text: line.trim(), where: `line ${index + 1}` }))
    .filter((entry) => entry.text !== '' && !entry.text.startsWith('#'));
  return keyRingFrom(entries, { source: `the key file ${path}`, active, firstIsActive: true });
}

function keyRingFrom(
  entries: Array<{ text: string; where: string }>,
  {
    source,
    active,
    firstIsActive,
  }: { source: string; active: string | undefined; firstIsActive: boolean },
): KeyRing {
  const opening = source.charAt(0).toUpperCase() + source.slice(1);
  if (entries.length === 0) throw keysInvalid(`${opening} has no keys.`);
  const problems: string[] = [];
  const keys: Array<{ id: string; key: Buffer }> = [];
  for (const { text, where } of entries) {
    const parsed = parseEntry(text, where);
    if (typeof parsed === 'string') problems.push(parsed);
    else if (keys.some((key) => key.id === parsed.id))
      problems.push(`${where}: key id "${parsed.id}" is given twice`);
    else keys.push(parsed);
  }
  if (problems.length) throw keysInvalid(`${opening} is invalid: ${problems.join('; ')}.`);
  const ids = keys.map((key) => key.id);
  if (active !== undefined && !ids.includes(active)) {
    const named = safeKeyId(active) ? `"${active}"` : 'a key id';
    throw keysInvalid(
      `BOTWIRE_SECRET_ACTIVE_KEY names ${named} that ${source} does not have (it has ${ids.join(', ')}).`,
      'Set BOTWIRE_SECRET_ACTIVE_KEY to one of those ids, or add that key.',
    );
  }
  if (active === undefined && keys.length > 1 && !firstIsActive) {
    throw keysInvalid(
      `BOTWIRE_SECRET_KEYS has ${keys.length} keys (${ids.join(', ')}) and BOTWIRE_SECRET_ACTIVE_KEY does not say which one encrypts new secrets.`,
      `Set BOTWIRE_SECRET_ACTIVE_KEY to one of ${ids.join(', ')} (usually the newest).`,
    );
  }
  return new KeyRing({ keys, activeKeyId: active ?? (ids[0] as string) });
}

/** One `kid:base64key`, or what is wrong with it (by position and key id, never the key). */
function parseEntry(text: string, where: string): { id: string; key: Buffer } | string {
  const colon = text.indexOf(':');
  if (colon < 0) return `${where} is not kid:base64key (it has no ":")`;
  const id = text.slice(0, colon).trim();
  if (!keyIdPattern.test(id))
    return `${where}: the key id must be 1 to 64 of A-Z a-z 0-9 _ . - (the form is kid:base64key)`;
  if (!safeKeyId(id))
    return `${where}: the key id looks like a key itself (the form is kid:base64key)`;
  const key = decodeKey(text.slice(colon + 1).trim());
  if (typeof key === 'string') return `${where} (key "${id}"): ${key}`;
  return { id, key };
}

/** True when `id` may be quoted in a message: a valid key id that is not itself a key. */
function safeKeyId(id: string): boolean {
  return keyIdPattern.test(id) && typeof decodeKey(id) === 'string';
}

/** The 32 bytes of a standard or url-safe base64 key, or what is wrong with it. */
function decodeKey(encoded: string): Buffer | string {
  if (encoded === '') return 'the key is empty';
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded))
    return 'the key is not base64 (standard or url-safe)';
  const bytes = Buffer.from(
    encoded.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/'),
    'base64',
  );
  if (bytes.byteLength !== keyLength)
    return `the key decodes to ${bytes.byteLength} bytes; it must be ${keyLength}`;
  return bytes;
}

/** The key file's text, or undefined when it does not exist; warns when others may read it. */
function readKeyFile(path: string, log: Logger): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BotwireError('BOTWIRE_SECRET_KEYS_INVALID', {
      message: `The secret key file ${path} could not be read: ${(error as Error).message}`,
      hint: 'Let the bot read the file, or set BOTWIRE_SECRET_KEYS.',
      cause: error,
    });
  }
  if (process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077) {
      log.warn('secret-key-file-readable', {
        path,
        mode: mode.toString(8).padStart(4, '0'),
        hint: `Other users of this machine may read the keys: chmod 600 ${path}`,
      });
    }
  }
  return text;
}

/** Generates a key into a new key file; when another process made the file first, reads theirs. */
function createKeyFile(path: string, options: LoadKeyRingOptions, log: Logger): string {
  const date = (options.now?.() ?? new Date()).toISOString().slice(0, 10).replace(/-/g, '');
  const text = [
    '# Botwire secret keys: kid:base64key, one a line; the first encrypts new secrets.',
    '# Back this file up: without it the stored secrets cannot be decrypted.',
    `local-${date}:${randomBytes(keyLength).toString('base64')}`,
    '',
  ].join('\n');
  try {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    // `wx`: of two processes starting at once, one creates the file and the other reads it.
    writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFinishedKeyFile(path, log);
    throw new BotwireError('BOTWIRE_SECRET_KEYS_INVALID', {
      message: `The secret key file ${path} could not be created: ${(error as Error).message}`,
      hint: 'Make the data directory writable, or set BOTWIRE_SECRET_KEYS.',
      cause: error,
    });
  }
  log.warn('secret-key-generated', {
    path,
    hint: 'Back this file up: the stored secrets cannot be decrypted without it. Or set BOTWIRE_SECRET_KEYS (see docs/guides/secrets.md).',
  });
  return text;
}

/** The key file another process is writing, once its last line is complete (at most about 1 s). */
function readFinishedKeyFile(path: string, log: Logger): string {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let text = readKeyFile(path, log) ?? '';
  for (let tries = 0; !text.endsWith('\n') && tries < 20; tries += 1) {
    Atomics.wait(pause, 0, 0, 50);
    text = readFileSync(path, 'utf8');
  }
  return text;
}
