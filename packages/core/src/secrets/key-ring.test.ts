import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isBotwireError } from '../errors/botwire-error';
import { KeyRing } from './key-ring';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const ring = (activeKeyId = 'a', keys = [{ id: 'a', key: keyA }]) =>
  new KeyRing({ keys, activeKeyId });

function thrown(run: () => unknown): Error & { code?: string; details?: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected an error');
}

/** Replaces part `index` of a record with `change(part)`. */
function changePart(record: string, index: number, change: (part: string) => string): string {
  const parts = record.split(':');
  parts[index] = change(parts[index] as string);
  return parts.join(':');
}

const flipFirst = (part: string) => `${part[0] === 'A' ? 'B' : 'A'}${part.slice(1)}`;

describe('KeyRing', () => {
  it('round-trips text under the active key, with a new IV each time', () => {
    const keys = ring();
    for (const plaintext of ['ghp_0123456789abcdef', 'пароль 🔑', '', 'x'.repeat(70_000)]) {
      const record = keys.encrypt(plaintext, 'github/usr_1/token');
      expect(record).toMatch(/^bw1:a:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]*$/);
      expect(keys.decrypt(record, 'github/usr_1/token')).toEqual({
        plaintext,
        kid: 'a',
        stale: false,
      });
    }
    const first = keys.encrypt('same', 'slot');
    expect(keys.encrypt('same', 'slot')).not.toBe(first);
    expect(first).not.toContain('same');
  });

  it('reports a record under another key of the ring as stale', () => {
    const record = ring('a').encrypt('token-1', 'slot');
    const both = ring('b', [
      { id: 'a', key: keyA },
      { id: 'b', key: keyB },
    ]);
    expect(both.activeKeyId).toBe('b');
    expect(both.keyIds).toEqual(['a', 'b']);
    expect(both.decrypt(record, 'slot')).toEqual({ plaintext: 'token-1', kid: 'a', stale: true });
    expect(both.encrypt('token-1', 'slot')).toMatch(/^bw1:b:/);
  });

  it('refuses a record bound to another slot (aad), naming the key', () => {
    const keys = ring();
    const record = keys.encrypt('token-1', 'github/usr_A/token');
    const error = thrown(() => keys.decrypt(record, 'github/usr_B/token'));
    expect(error.code).toBe('BOTWIRE_SECRET_DECRYPT_FAILED');
    expect(error.message).toContain('"a"');
    expect(error.message).not.toContain('token-1');
  });

  it('refuses a tampered IV, tag or ciphertext, and a changed key id', () => {
    const keys = ring('a', [
      { id: 'a', key: keyA },
      { id: 'b', key: keyA },
    ]);
    const record = keys.encrypt('token-1', 'slot');
    for (const index of [2, 3, 4]) {
      const error = thrown(() => keys.decrypt(changePart(record, index, flipFirst), 'slot'));
      expect(error.code).toBe('BOTWIRE_SECRET_DECRYPT_FAILED');
    }
    // The same key under another id: the id is authenticated too.
    const renamed = changePart(record, 1, () => 'b');
    expect(thrown(() => keys.decrypt(renamed, 'slot')).code).toBe('BOTWIRE_SECRET_DECRYPT_FAILED');
  });

  it('refuses a record when its key id names another key, naming the key id', () => {
    const record = ring().encrypt('token-1', 'slot');
    const other = ring('a', [{ id: 'a', key: keyB }]);
    const error = thrown(() => other.decrypt(record, 'slot'));
    expect(error.code).toBe('BOTWIRE_SECRET_DECRYPT_FAILED');
    expect(error.message).toContain('key "a"');
    expect(error.details).toEqual({ kid: 'a' });
  });

  it('says which key is missing and where to add it', () => {
    const record = ring('old-2025', [{ id: 'old-2025', key: keyA }]).encrypt('token-1', 'slot');
    const error = thrown(() => ring().decrypt(record, 'slot'));
    expect(isBotwireError(error, 'BOTWIRE_SECRET_KEY_MISSING')).toBe(true);
    expect(error.message).toContain('"old-2025"');
    expect(error.message).toContain('BOTWIRE_SECRET_KEYS');
  });

  it('refuses malformed records with a clear message', () => {
    const keys = ring();
    const record = keys.encrypt('token-1', 'slot');
    const cases: Array<[string, RegExp]> = [
      ['plain text', /does not start with "bw1:"/],
      ['bw1:a:xyz', /3 parts instead of 5/],
      ['bw1:a b:x:y:z', /key id is not valid/],
      [changePart(record, 2, (part) => part.slice(0, 8)), /IV is 6 bytes, not 12/],
      [changePart(record, 3, (part) => part.slice(0, 8)), /tag is 6 bytes, not 16/],
      [changePart(record, 4, () => 'not+base64url'), /ciphertext is not base64url/],
    ];
    for (const [text, message] of cases) {
      const error = thrown(() => keys.decrypt(text, 'slot'));
      expect(error.code, text).toBe('BOTWIRE_SECRET_DECRYPT_FAILED');
      expect(error.message, text).toMatch(message);
    }
  });

  it('checks its keys, and never shows them', () => {
    expect(thrown(() => ring('a', [{ id: 'a', key: randomBytes(16) }])).message).toMatch(
      /16 bytes; AES-256 keys are 32/,
    );
    expect(thrown(() => ring('a', [{ id: 'a:b', key: keyA }])).code).toBe(
      'BOTWIRE_SECRET_KEYS_INVALID',
    );
    expect(
      thrown(() =>
        ring('a', [
          { id: 'a', key: keyA },
          { id: 'a', key: keyB },
        ]),
      ).message,
    ).toMatch(/"a" is given twice/);
    expect(thrown(() => ring('c')).message).toMatch(/active key "c" is not among the keys \(a\)/);
    const keys = ring();
    const shown = `${inspect(keys, { showHidden: true, depth: 5 })}${JSON.stringify(keys)}`;
    for (const encoding of ['base64', 'base64url', 'hex'] as const)
      expect(shown).not.toContain(keyA.toString(encoding));
  });
});
