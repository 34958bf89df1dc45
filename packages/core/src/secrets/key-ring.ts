import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { BotwireError } from '../errors/botwire-error';

/** The form of a key id: 1 to 64 of `A-Z a-z 0-9 _ . -`. */
export const keyIdPattern = /^[A-Za-z0-9_.-]{1,64}$/;

/** The bytes of every key: AES-256 takes 32. */
export const keyLength = 32;

/** What a {@link KeyRing} is made of: its keys by id, and the one new records are encrypted with. */
export interface KeyRingOptions {
  keys: ReadonlyArray<{ id: string; key: Uint8Array }>;
  /** The id of the key that encrypts; must be one of `keys`. */
  activeKeyId: string;
}

/** What {@link KeyRing.decrypt} returns. */
export interface DecryptedSecret {
  plaintext: string;
  /** The key the record was encrypted with. */
  kid: string;
  /** True when that key is not the active one: encrypt the plaintext again to rotate it. */
  stale: boolean;
}

const version = 'bw1';
const ivLength = 12;
const tagLength = 16;
const base64url = /^[A-Za-z0-9_-]*$/;

function keysInvalid(message: string): BotwireError {
  return new BotwireError('BOTWIRE_SECRET_KEYS_INVALID', { message });
}

/**
 * Encrypts and decrypts secrets with AES-256-GCM under keys named by id, one of them active.
 * A record names its key, so records made under older keys still decrypt while the ring has
 * them, and report `stale` so they can be encrypted again under the active key.
 *
 * A record is text: `bw1:<kid>:<iv>:<tag>:<ciphertext>` (base64url, a random 12-byte IV each
 * time). The `aad` binds it to its slot (such as its storage key): a record copied elsewhere
 * does not decrypt.
 *
 * @example
 * const ring = new KeyRing({ keys: [{ id: 'prod-1', key: randomBytes(32) }], activeKeyId: 'prod-1' });
 * const record = ring.encrypt('sk-live-...', 'github/usr_1/token');
 * ring.decrypt(record, 'github/usr_1/token').plaintext; // 'sk-live-...'
 */
export class KeyRing {
  // A private field: the keys never show in console.log, util.inspect or JSON.
  readonly #keys = new Map<string, Buffer>();
  /** The key new records are encrypted with. */
  readonly activeKeyId: string;

  constructor(options: KeyRingOptions) {
    for (const [index, { id, key }] of options.keys.entries()) {
      if (typeof id !== 'string' || !keyIdPattern.test(id))
        throw keysInvalid(
          `Key ${index + 1} has an invalid id: a key id is 1 to 64 of A-Z a-z 0-9 _ . -.`,
        );
      if (this.#keys.has(id)) throw keysInvalid(`Key id "${id}" is given twice.`);
      if (!(key instanceof Uint8Array) || key.byteLength !== keyLength)
        throw keysInvalid(
          `Key "${id}" is ${key instanceof Uint8Array ? key.byteLength : 0} bytes; AES-256 keys are ${keyLength} bytes.`,
        );
      this.#keys.set(id, Buffer.from(key));
    }
    if (!this.#keys.has(options.activeKeyId)) {
      throw keysInvalid(
        `The active key "${options.activeKeyId}" is not among the keys (${this.keyIds.join(', ') || 'none'}).`,
      );
    }
    this.activeKeyId = options.activeKeyId;
  }

  /** The ids of every key of the ring, in the order given. */
  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** Encrypts `plaintext` under the active key, bound to `aad`; a new random IV each call. */
  encrypt(plaintext: string, aad: string): string {
    const kid = this.activeKeyId;
    const iv = randomBytes(ivLength);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(kid) as Buffer, iv, {
      authTagLength: tagLength,
    });
    cipher.setAAD(associatedData(kid, aad));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [version, kid, iv, tag, ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join(':');
  }

  /**
   * Decrypts a record made by {@link encrypt} with the same `aad`. Throws
   * BOTWIRE_SECRET_KEY_MISSING when the ring lacks its key, and BOTWIRE_SECRET_DECRYPT_FAILED
   * when the record is malformed, was changed, belongs to another `aad` or the key with its id
   * is not the one it was made with. Never returns a wrong plaintext.
   */
  decrypt(record: string, aad: string): DecryptedSecret {
    const { kid, iv, tag, ciphertext } = parseRecord(record);
    const key = this.#keys.get(kid);
    if (!key) {
      throw new BotwireError('BOTWIRE_SECRET_KEY_MISSING', {
        message: `The secret was encrypted with key "${kid}", which this bot does not have (it has ${this.keyIds.join(', ')}). Add "${kid}" to BOTWIRE_SECRET_KEYS (as ${kid}:<base64 key>), or restore the key file that held it.`,
        details: { kid },
      });
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
      decipher.setAAD(associatedData(kid, aad));
      decipher.setAuthTag(tag);
      const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString(
        'utf8',
      );
      return { plaintext, kid, stale: kid !== this.activeKeyId };
    } catch (error) {
      throw new BotwireError('BOTWIRE_SECRET_DECRYPT_FAILED', {
        message: `The secret under key "${kid}" could not be decrypted: key "${kid}" is not the key it was encrypted with, or the record was changed or moved from another slot.`,
        hint: `Check that "${kid}" in BOTWIRE_SECRET_KEYS (or the key file) is the original key; otherwise set the secret again.`,
        details: { kid },
        cause: error,
      });
    }
  }
}

/** The GCM additional data: the format, the key id and the caller's slot, so none can be swapped. */
function associatedData(kid: string, aad: string): Buffer {
  return Buffer.from(`${version}:${kid}:${aad}`, 'utf8');
}

function malformed(reason: string, kid?: string): BotwireError {
  return new BotwireError('BOTWIRE_SECRET_DECRYPT_FAILED', {
    message: `The stored secret is not a valid encrypted record${kid ? ` (key "${kid}")` : ''}: ${reason}. Set the secret again.`,
    ...(kid ? { details: { kid } } : {}),
  });
}

function parseRecord(record: string): { kid: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  if (typeof record !== 'string') throw malformed(`expected text, got ${typeof record}`);
  const parts = record.split(':');
  if (parts[0] !== version) throw malformed(`it does not start with "${version}:"`);
  if (parts.length !== 5) throw malformed(`it has ${parts.length} parts instead of 5`);
  const [, kid, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  if (!keyIdPattern.test(kid)) throw malformed('its key id is not valid');
  for (const [name, part] of [
    ['IV', iv],
    ['tag', tag],
    ['ciphertext', ciphertext],
  ] as const) {
    if (!base64url.test(part)) throw malformed(`its ${name} is not base64url`, kid);
  }
  const decoded = {
    kid,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
  };
  if (decoded.iv.byteLength !== ivLength)
    throw malformed(`its IV is ${decoded.iv.byteLength} bytes, not ${ivLength}`, kid);
  if (decoded.tag.byteLength !== tagLength)
    throw malformed(`its tag is ${decoded.tag.byteLength} bytes, not ${tagLength}`, kid);
  return decoded;
}
