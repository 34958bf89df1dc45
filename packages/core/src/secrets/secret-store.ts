import { BotwireError, isBotwireError } from '../errors/botwire-error';
import { type Logger, silentLogger } from '../logging/logger';
import type { KeyValueStore } from '../ports/storage';
import type { KeyRing } from './key-ring';

/** The key-value namespace secrets are kept in. */
export const secretsNamespace = 'secrets';

/** The `skill` of bot-wide secrets every skill may read (`botwire secrets set` without `--skill`). */
export const allSkills = '*';

/** The largest value a secret may have, in bytes of UTF-8. */
export const maxSecretBytes = 64 * 1024;

const namePattern = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Whose secret it is: a user's secret of a skill (`{ skill, user }`), or a bot-wide one the
 * operator set (`{ skill }`; `skill: '*'` for every skill).
 */
export interface SecretScope {
  /** The skill's name, or {@link allSkills} (`*`) for a bot-wide secret of every skill. */
  skill: string;
  /** The user's id; undefined for a bot-wide secret. */
  user?: string;
}

/** A stored secret, without its value. */
export interface SecretInfo {
  skill: string;
  /** Undefined for a bot-wide secret. */
  user?: string;
  name: string;
  /** The key it is encrypted with. */
  kid: string;
  /** When its value was last set. */
  updatedAt: Date;
}

/** What {@link SecretStore.rotate} did. */
export interface RotateResult {
  /** Every secret of the store. */
  total: number;
  /** Those that were under another key than the active one, now under the active one. */
  reencrypted: number;
}

/** Options for {@link SecretStore}. */
export interface SecretStoreOptions {
  /** The storage's key-value store; secrets go to its `secrets` namespace. */
  kv: KeyValueStore;
  /** The key ring, or a function that makes it on first use (so a bot without secrets makes no key). */
  keyRing: KeyRing | (() => KeyRing);
  /** Gets every value read or written, such as to hide it from logs (`redactor.add`). */
  onValue?: (value: string) => void;
  log?: Logger;
  now?: () => Date;
}

/** How a secret is stored: the key ring's record, bound to its storage key. */
interface StoredSecret {
  record: string;
  kid: string;
  updatedAt: string;
}

function isStoredSecret(value: unknown): value is StoredSecret {
  const stored = value as Partial<StoredSecret> | null;
  return (
    typeof stored === 'object' &&
    stored !== null &&
    typeof stored.record === 'string' &&
    typeof stored.kid === 'string' &&
    typeof stored.updatedAt === 'string'
  );
}

function invalid(message: string): BotwireError {
  return new BotwireError('BOTWIRE_INVALID_ARGUMENT', { message });
}

/** A part of a storage key: `/` and `*` escaped, so that `*` alone means "bot-wide". */
function encodePart(text: string): string {
  return encodeURIComponent(text).replace(/\*/g, '%2A');
}

function checkSecretScope(scope: SecretScope): void {
  if (typeof scope !== 'object' || scope === null)
    throw invalid('A secret scope must be { skill, user? }.');
  const { skill, user } = scope;
  if (typeof skill !== 'string' || skill === '' || skill.length > 200)
    throw invalid("A secret's skill must be a skill name (or * for every skill).");
  if (user !== undefined && (typeof user !== 'string' || user === '' || user.length > 200))
    throw invalid("A secret's user must be a user id, or undefined for a bot-wide secret.");
  if (user !== undefined && skill === allSkills)
    throw invalid('A secret of every skill (*) is bot-wide: it has no user. Name the skill.');
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !namePattern.test(name)) {
    throw invalid(
      `A secret's name must be 1 to 128 of A-Z a-z 0-9 _ . -; got ${JSON.stringify(String(name).slice(0, 40))}.`,
    );
  }
}

/** The storage key of a secret: `<skill>/<user or *>/<name>`, each part escaped. */
function storageKey(scope: SecretScope, name: string): string {
  checkSecretScope(scope);
  checkName(name);
  return `${scopePrefix(scope)}${name}`;
}

function scopePrefix(scope: SecretScope): string {
  const skill = scope.skill === allSkills ? allSkills : encodePart(scope.skill);
  const user = scope.user === undefined ? '*' : encodePart(scope.user);
  return `${skill}/${user}/`;
}

/** The scope and name of a storage key; undefined for a key this store did not write. */
function parseStorageKey(key: string): { skill: string; user?: string; name: string } | undefined {
  const parts = key.split('/');
  if (parts.length !== 3) return undefined;
  const [skill, user, name] = parts as [string, string, string];
  try {
    return {
      skill: skill === allSkills ? allSkills : decodeURIComponent(skill),
      ...(user === '*' ? {} : { user: decodeURIComponent(user) }),
      name,
    };
  } catch {
    return undefined;
  }
}

/**
 * Secrets (credentials of integrations, tokens) kept encrypted in storage: each value is a
 * {@link KeyRing} record bound to its storage key, so a record copied to another user's slot
 * does not decrypt. A value read under an old key is encrypted again under the active one
 * (lazy rotation); {@link rotate} does it for all at once. No value is ever logged, and each
 * one read or written goes to `onValue`.
 *
 * @example
 * const secrets = new SecretStore({ kv: storage.kv, keyRing: () => loadKeyRing({ dataDir }) });
 * await secrets.set({ skill: 'github', user: user.id }, 'token', 'ghp_...');
 * await secrets.get({ skill: 'github', user: user.id }, 'token'); // 'ghp_...'
 */
export class SecretStore {
  private readonly kv: KeyValueStore;
  private readonly makeKeyRing: () => KeyRing;
  private ring: KeyRing | undefined;
  private readonly onValue: (value: string) => void;
  private readonly log: Logger;
  private readonly now: () => Date;

  constructor(options: SecretStoreOptions) {
    this.kv = options.kv;
    const { keyRing } = options;
    this.makeKeyRing = typeof keyRing === 'function' ? keyRing : () => keyRing;
    this.onValue = options.onValue ?? (() => {});
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? (() => new Date());
  }

  /** The key ring, made on first use. */
  get keyRing(): KeyRing {
    this.ring ??= this.makeKeyRing();
    return this.ring;
  }

  /** The value of a secret, or undefined when it has none. Throws when it does not decrypt. */
  async get(scope: SecretScope, name: string): Promise<string | undefined> {
    const key = storageKey(scope, name);
    const stored = await this.read(key);
    if (!stored) return undefined;
    const { plaintext, stale } = this.keyRing.decrypt(stored.record, key);
    this.onValue(plaintext);
    if (stale) {
      try {
        await this.rewrite(key, stored, plaintext);
      } catch (error) {
        // The value is still good; the next read tries again.
        this.log.warn('secret-reencrypt-failed', {
          key,
          code: isBotwireError(error) ? error.code : undefined,
        });
      }
    }
    return plaintext;
  }

  /** Stores a value (a non-empty string of at most 64 KiB), encrypted under the active key. */
  async set(scope: SecretScope, name: string, value: string): Promise<SecretInfo> {
    const key = storageKey(scope, name);
    if (typeof value !== 'string' || value === '')
      throw invalid(`The value of secret "${name}" must be a non-empty string.`);
    this.onValue(value);
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > maxSecretBytes)
      throw invalid(
        `The value of secret "${name}" is ${bytes} bytes; a secret may have at most ${maxSecretBytes}.`,
      );
    const ring = this.keyRing;
    const updatedAt = this.now();
    const stored: StoredSecret = {
      record: ring.encrypt(value, key),
      kid: ring.activeKeyId,
      updatedAt: updatedAt.toISOString(),
    };
    await this.kv.set(secretsNamespace, key, stored);
    return { ...scopeOf(scope), name, kid: stored.kid, updatedAt };
  }

  /** Deletes a secret; false when there was none. */
  delete(scope: SecretScope, name: string): Promise<boolean> {
    return this.kv.delete(secretsNamespace, storageKey(scope, name));
  }

  /** The secrets of one scope, or of all scopes, ordered by scope and name; never values. */
  async list(scope?: SecretScope): Promise<SecretInfo[]> {
    if (scope) checkSecretScope(scope);
    const entries = await this.kv.list<unknown>(
      secretsNamespace,
      scope ? { prefix: scopePrefix(scope) } : {},
    );
    const found: SecretInfo[] = [];
    for (const { key, value } of entries) {
      const parsed = parseStorageKey(key);
      if (!parsed || !isStoredSecret(value)) continue;
      found.push({ ...parsed, kid: value.kid, updatedAt: new Date(value.updatedAt) });
    }
    return found;
  }

  /**
   * Encrypts every secret that is under another key than the active one again under the
   * active one. Throws (after doing the rest) when some do not decrypt, naming them: then
   * those stay under their old key.
   */
  async rotate(): Promise<RotateResult> {
    const ring = this.keyRing;
    const entries = await this.kv.list<unknown>(secretsNamespace);
    const failures: Array<{ key: string; error: unknown }> = [];
    let reencrypted = 0;
    for (const { key, value } of entries) {
      try {
        if (!isStoredSecret(value)) throw notARecord(key);
        const { plaintext, stale } = ring.decrypt(value.record, key);
        this.onValue(plaintext);
        if (stale && (await this.rewrite(key, value, plaintext))) reencrypted += 1;
      } catch (error) {
        failures.push({ key, error });
      }
    }
    if (failures.length) {
      const missing = failures.some(({ error }) =>
        isBotwireError(error, 'BOTWIRE_SECRET_KEY_MISSING'),
      );
      const listed = failures
        .slice(0, 10)
        .map(({ key, error }) => `${key}: ${error instanceof Error ? error.message : error}`);
      throw new BotwireError(
        missing ? 'BOTWIRE_SECRET_KEY_MISSING' : 'BOTWIRE_SECRET_DECRYPT_FAILED',
        {
          message: `${failures.length} of ${entries.length} secrets could not be encrypted again under key "${ring.activeKeyId}" (${reencrypted} were): ${listed.join('; ')}${failures.length > 10 ? '; ...' : ''}`,
          details: { total: entries.length, reencrypted, failed: failures.length },
        },
      );
    }
    return { total: entries.length, reencrypted };
  }

  private async read(key: string): Promise<StoredSecret | undefined> {
    const stored = await this.kv.get<unknown>(secretsNamespace, key);
    if (stored === undefined) return undefined;
    if (!isStoredSecret(stored)) throw notARecord(key);
    return stored;
  }

  /**
   * Stores `plaintext` again under the active key, unless the record changed since it was
   * read (a newer value was set meanwhile). True when it wrote.
   */
  private async rewrite(key: string, stored: StoredSecret, plaintext: string): Promise<boolean> {
    const current = await this.kv.get<unknown>(secretsNamespace, key);
    if (!isStoredSecret(current) || current.record !== stored.record) return false;
    const ring = this.keyRing;
    await this.kv.set(secretsNamespace, key, {
      record: ring.encrypt(plaintext, key),
      kid: ring.activeKeyId,
      updatedAt: stored.updatedAt,
    } satisfies StoredSecret);
    return true;
  }
}

function scopeOf(scope: SecretScope): { skill: string; user?: string } {
  return { skill: scope.skill, ...(scope.user !== undefined ? { user: scope.user } : {}) };
}

function notARecord(key: string): BotwireError {
  return new BotwireError('BOTWIRE_SECRET_DECRYPT_FAILED', {
    message: `The stored secret ${key} is not an encrypted record ({ record, kid, updatedAt }). Set it again.`,
  });
}
