import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BotwireError } from '../errors/botwire-error';
import type { Logger } from '../logging/logger';
import type { KeyValueStore, StorageDriver } from '../ports/storage';
import { memoryStorage } from '../storage/drivers/memory';
import { KeyRing } from './key-ring';
import { SecretStore, type SecretStoreOptions, secretsNamespace } from './secret-store';

const keys = { old: randomBytes(32), new: randomBytes(32), other: randomBytes(32) };
type KeyId = keyof typeof keys;
const ring = (activeKeyId: KeyId, ids: KeyId[] = [activeKeyId]) =>
  new KeyRing({ keys: ids.map((id) => ({ id, key: keys[id] })), activeKeyId });

async function rejection(promise: Promise<unknown>): Promise<BotwireError> {
  try {
    await promise;
  } catch (error) {
    return error as BotwireError;
  }
  throw new Error('expected a rejection');
}

let storage: StorageDriver;
let seen: string[];
const store = (keyRing: KeyRing | (() => KeyRing), options: Partial<SecretStoreOptions> = {}) =>
  new SecretStore({ kv: storage.kv, keyRing, onValue: (value) => seen.push(value), ...options });

beforeEach(async () => {
  storage = memoryStorage();
  await storage.open();
  seen = [];
});
afterEach(() => storage.close());

/** Every stored record, raw, as `{ key: kid }`. */
async function rawKids(): Promise<Record<string, string>> {
  const entries = await storage.kv.list<{ record: string; kid: string }>(secretsNamespace);
  return Object.fromEntries(entries.map(({ key, value }) => [key, value.kid]));
}

const alice = { skill: 'github', user: 'usr_alice' };
const bob = { skill: 'github', user: 'usr_bob' };

describe('SecretStore', () => {
  it('keeps values encrypted, bound to their slot, and gives them back', async () => {
    const secrets = store(ring('new'));
    const info = await secrets.set(alice, 'token', 'ghp_alice_secret_value');
    expect(info).toMatchObject({ skill: 'github', user: 'usr_alice', name: 'token', kid: 'new' });
    expect(info.updatedAt).toBeInstanceOf(Date);
    expect(await secrets.get(alice, 'token')).toBe('ghp_alice_secret_value');

    const raw = await storage.kv.list(secretsNamespace);
    expect(raw).toEqual([
      {
        key: 'github/usr_alice/token',
        value: {
          record: expect.stringMatching(/^bw1:new:/),
          kid: 'new',
          updatedAt: info.updatedAt.toISOString(),
        },
      },
    ]);
    expect(JSON.stringify(raw)).not.toContain('ghp_alice');
  });

  it("keeps one user's secrets from another, and a record copied to another slot does not decrypt", async () => {
    const secrets = store(ring('new'));
    await secrets.set(alice, 'token', 'ghp_alice_secret_value');
    expect(await secrets.get(bob, 'token')).toBeUndefined();
    expect(await secrets.get({ skill: 'github' }, 'token')).toBeUndefined();
    expect(await secrets.get({ skill: 'gitlab', user: 'usr_alice' }, 'token')).toBeUndefined();
    expect(await secrets.list(bob)).toEqual([]);

    const stolen = await storage.kv.get(secretsNamespace, 'github/usr_alice/token');
    await storage.kv.set(secretsNamespace, 'github/usr_bob/token', stolen);
    const error = await rejection(secrets.get(bob, 'token'));
    expect(error.code).toBe('BOTWIRE_SECRET_DECRYPT_FAILED');
    expect(error.message).toContain('"new"');
  });

  it('escapes scopes, so that no two scopes share a storage key', async () => {
    const secrets = store(ring('new'));
    const scopes = [
      { skill: 'a/b', user: 'c' },
      { skill: 'a', user: 'b/c' },
      { skill: 'a', user: '*' },
      { skill: 'a' },
      { skill: '*' },
      { skill: '%2A' },
    ];
    for (const [index, scope] of scopes.entries()) await secrets.set(scope, 'n', `value-${index}`);
    for (const [index, scope] of scopes.entries())
      expect(await secrets.get(scope, 'n')).toBe(`value-${index}`);
    expect((await secrets.list()).map(({ skill, user }) => ({ skill, user }))).toHaveLength(6);
    expect(await secrets.list({ skill: 'a' })).toMatchObject([{ skill: 'a', name: 'n' }]);
    expect((await secrets.list({ skill: 'a', user: '*' }))[0]).toMatchObject({ user: '*' });
  });

  it('lists names, scopes, key ids and times, never values; deletes', async () => {
    const secrets = store(ring('new'));
    await secrets.set(alice, 'token', 'ghp_alice_secret_value');
    await secrets.set({ skill: '*' }, 'proxy_password', 'proxy-secret-value');
    const listed = await secrets.list();
    expect(listed).toEqual([
      { skill: '*', name: 'proxy_password', kid: 'new', updatedAt: expect.any(Date) },
      {
        skill: 'github',
        user: 'usr_alice',
        name: 'token',
        kid: 'new',
        updatedAt: expect.any(Date),
      },
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/secret-value|secret_value/);
    expect(await secrets.delete(alice, 'token')).toBe(true);
    expect(await secrets.delete(alice, 'token')).toBe(false);
    expect(await secrets.get(alice, 'token')).toBeUndefined();
  });

  it('checks names, scopes and values', async () => {
    const secrets = store(ring('new'));
    const cases: Array<[Promise<unknown>, RegExp]> = [
      [secrets.set(alice, 'bad name', 'v1234'), /name must be 1 to 128/],
      [secrets.set(alice, 'x'.repeat(129), 'v1234'), /name must be 1 to 128/],
      [secrets.get(alice, 'a/b'), /name must be 1 to 128/],
      [secrets.set(alice, 'token', ''), /non-empty string/],
      [
        secrets.set(alice, 'token', 'é'.repeat(32_769)),
        /65538 bytes; a secret may have at most 65536/,
      ],
      [secrets.set({ skill: '' }, 'token', 'v1234'), /skill must be a skill name/],
      [
        secrets.set({ skill: '*', user: 'usr_alice' }, 'token', 'v1234'),
        /bot-wide: it has no user/,
      ],
      [secrets.set({ skill: 'x', user: '' }, 'token', 'v1234'), /user must be a user id/],
    ];
    for (const [promise, message] of cases) {
      const error = await rejection(promise);
      expect(error.code).toBe('BOTWIRE_INVALID_ARGUMENT');
      expect(error.message).toMatch(message);
    }
    await secrets.set(alice, 'x'.repeat(128), 'v'.repeat(65_536));
    expect(await storage.kv.list(secretsNamespace)).toHaveLength(1);
  });

  it('makes the key ring only when a value is read or written', async () => {
    let made = 0;
    const secrets = store(() => {
      made += 1;
      return ring('new');
    });
    expect(await secrets.get(alice, 'token')).toBeUndefined();
    expect(await secrets.list()).toEqual([]);
    expect(await secrets.delete(alice, 'token')).toBe(false);
    expect(made).toBe(0);
    await secrets.set(alice, 'token', 'ghp_alice_secret_value');
    await secrets.get(alice, 'token');
    expect(made).toBe(1);
  });

  it('passes every value it reads or writes to onValue', async () => {
    const secrets = store(ring('old'));
    await secrets.set(alice, 'token', 'written-value');
    expect(seen).toEqual(['written-value']);
    await secrets.get(alice, 'token');
    expect(seen).toEqual(['written-value', 'written-value']);
    const rotated = store(ring('new', ['old', 'new']));
    await rotated.rotate();
    expect(seen).toEqual(['written-value', 'written-value', 'written-value']);
  });

  it('encrypts a value read under an old key again under the active key (lazy rotation)', async () => {
    const before = store(ring('old'));
    const { updatedAt } = await before.set(alice, 'token', 'ghp_alice_secret_value');
    await before.set(bob, 'token', 'ghp_bob_secret_value');

    const after = store(ring('new', ['old', 'new']));
    expect(await after.get(alice, 'token')).toBe('ghp_alice_secret_value');
    expect(await rawKids()).toEqual({
      'github/usr_alice/token': 'new',
      'github/usr_bob/token': 'old',
    });
    const stored = await storage.kv.get<{ record: string; updatedAt: string }>(
      secretsNamespace,
      'github/usr_alice/token',
    );
    expect(stored?.record).toMatch(/^bw1:new:/);
    expect(stored?.updatedAt).toBe(updatedAt.toISOString());
    // Only the new key is needed for it now.
    expect(await store(ring('new')).get(alice, 'token')).toBe('ghp_alice_secret_value');
  });

  it('gives the value even when writing it back fails, and logs nothing of it', async () => {
    await store(ring('old')).set(alice, 'token', 'ghp_alice_secret_value');
    const lines: string[] = [];
    const log: Logger = {
      debug: () => {},
      info: () => {},
      warn: (message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`),
      error: () => {},
      child: () => log,
    };
    const failing: KeyValueStore = {
      ...storage.kv,
      get: storage.kv.get.bind(storage.kv),
      set: async () => {
        throw new Error('disk full');
      },
    };
    const secrets = new SecretStore({ kv: failing, keyRing: ring('new', ['old', 'new']), log });
    expect(await secrets.get(alice, 'token')).toBe('ghp_alice_secret_value');
    expect(lines).toEqual([expect.stringContaining('secret-reencrypt-failed')]);
    expect(lines.join('')).not.toContain('ghp_alice');
    expect(await rawKids()).toEqual({ 'github/usr_alice/token': 'old' });
  });

  it('rotate leaves no record under an old key', async () => {
    const before = store(ring('old'));
    await before.set(alice, 'token', 'ghp_alice_secret_value');
    await before.set(bob, 'token', 'ghp_bob_secret_value');
    await before.set({ skill: '*' }, 'proxy', 'proxy-secret-value');
    const after = store(ring('new', ['old', 'new']));
    await after.set({ skill: 'mail', user: 'usr_alice' }, 'password', 'mail-secret-value');

    expect(await after.rotate()).toEqual({ total: 4, reencrypted: 3 });
    const kids = await rawKids();
    expect(Object.values(kids)).toEqual(['new', 'new', 'new', 'new']);
    const raw = await storage.kv.list<{ record: string }>(secretsNamespace);
    expect(raw.every(({ value }) => value.record.startsWith('bw1:new:'))).toBe(true);
    expect(await after.rotate()).toEqual({ total: 4, reencrypted: 0 });

    // The old key can go now.
    const newOnly = store(ring('new'));
    expect(await newOnly.get(bob, 'token')).toBe('ghp_bob_secret_value');
    expect(await newOnly.get({ skill: '*' }, 'proxy')).toBe('proxy-secret-value');
  });

  it('rotate does the rest and names the records it cannot decrypt', async () => {
    await store(ring('other')).set(alice, 'token', 'ghp_alice_secret_value');
    await store(ring('old')).set(bob, 'token', 'ghp_bob_secret_value');
    const error = await rejection(store(ring('new', ['old', 'new'])).rotate());
    expect(error.code).toBe('BOTWIRE_SECRET_KEY_MISSING');
    expect(error.message).toContain('1 of 2 secrets could not be encrypted again under key "new"');
    expect(error.message).toContain('github/usr_alice/token');
    expect(error.message).toContain('"other"');
    expect(error.message).not.toContain('ghp_');
    expect(await rawKids()).toEqual({
      'github/usr_alice/token': 'other',
      'github/usr_bob/token': 'new',
    });
  });

  it('refuses a stored value that is not a record', async () => {
    await storage.kv.set(secretsNamespace, 'github/usr_alice/token', 'plain text');
    const error = await rejection(store(ring('new')).get(alice, 'token'));
    expect(error.code).toBe('BOTWIRE_SECRET_DECRYPT_FAILED');
    expect(error.message).toContain('github/usr_alice/token is not an encrypted record');
  });
});
