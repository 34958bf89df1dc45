import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BotwireError } from '../errors/botwire-error';
import type { Logger } from '../logging/logger';
import { loadKeyRing } from './load-key-ring';

/** A logger that keeps what it is told. */
function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, ...(fields ? { fields } : {}) });
    };
  const log: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => log,
  };
  return { log, lines };
}

function thrown(run: () => unknown): BotwireError {
  try {
    run();
  } catch (error) {
    return error as BotwireError;
  }
  throw new Error('expected an error');
}

const posix = process.platform !== 'win32';
let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'botwire-keys-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const standard = randomBytes(32).toString('base64');
const urlSafe = randomBytes(32).toString('base64url');

describe('loadKeyRing from BOTWIRE_SECRET_KEYS', () => {
  it('takes one key as the active one, in standard or url-safe base64, spaces ignored', () => {
    for (const encoded of [standard, urlSafe, `${urlSafe}=`]) {
      const ring = loadKeyRing({ env: { BOTWIRE_SECRET_KEYS: ` prod-1 : ${encoded} ` }, dataDir });
      expect(ring.keyIds).toEqual(['prod-1']);
      expect(ring.activeKeyId).toBe('prod-1');
    }
    expect(() => statSync(join(dataDir, 'secret-keys'))).toThrow(/ENOENT/);
  });

  it('takes the active one of several from BOTWIRE_SECRET_ACTIVE_KEY', () => {
    const env = {
      BOTWIRE_SECRET_KEYS: `old:${standard},\n new:${urlSafe},`,
      BOTWIRE_SECRET_ACTIVE_KEY: 'new',
    };
    const ring = loadKeyRing({ env, dataDir });
    expect(ring.keyIds).toEqual(['old', 'new']);
    expect(ring.activeKeyId).toBe('new');
    // A record of one ring decrypts with another made from the same keys.
    const record = ring.encrypt('value-1', 'slot');
    expect(loadKeyRing({ env, dataDir }).decrypt(record, 'slot').plaintext).toBe('value-1');
  });

  it('asks which key is active when there are several, listing the ids', () => {
    const error = thrown(() =>
      loadKeyRing({ env: { BOTWIRE_SECRET_KEYS: `old:${standard},new:${urlSafe}` }, dataDir }),
    );
    expect(error.code).toBe('BOTWIRE_SECRET_KEYS_INVALID');
    expect(error.message).toContain('(old, new)');
    expect(error.hint).toContain('BOTWIRE_SECRET_ACTIVE_KEY');
  });

  it('refuses an active key id it does not have', () => {
    const error = thrown(() =>
      loadKeyRing({
        env: { BOTWIRE_SECRET_KEYS: `old:${standard}`, BOTWIRE_SECRET_ACTIVE_KEY: 'newer' },
        dataDir,
      }),
    );
    expect(error.code).toBe('BOTWIRE_SECRET_KEYS_INVALID');
    expect(error.message).toMatch(
      /names "newer" that BOTWIRE_SECRET_KEYS does not have \(it has old\)/,
    );
  });

  it('names each bad entry by position and key id, never by its key', () => {
    const short = randomBytes(16).toString('base64');
    const cases: Array<[string, RegExp]> = [
      [`good:${standard},short:${short}`, /entry 2 \(key "short"\): the key decodes to 16 bytes/],
      [`good:${standard},${urlSafe}`, /entry 2 is not kid:base64key \(it has no ":"\)/],
      [`good:${standard},${urlSafe}:prod`, /entry 2: the key id looks like a key itself/],
      [`bad id:${standard}`, /entry 1: the key id must be 1 to 64/],
      [`a:${standard},a:${urlSafe}`, /entry 2: key id "a" is given twice/],
      [
        `a:${standard.slice(0, 20)}*${standard.slice(21)}`,
        /entry 1 \(key "a"\): the key is not base64/,
      ],
      ['a:', /entry 1 \(key "a"\): the key is empty/],
      [`a:${short},b:${short}`, /entry 1 \(key "a"\).*; entry 2 \(key "b"\)/],
    ];
    for (const [value, message] of cases) {
      const error = thrown(() => loadKeyRing({ env: { BOTWIRE_SECRET_KEYS: value }, dataDir }));
      expect(error.code, value).toBe('BOTWIRE_SECRET_KEYS_INVALID');
      expect(error.message, value).toMatch(message);
      const everything = `${error.describe()}${JSON.stringify(error)}${error.stack}`;
      for (const key of [standard, urlSafe, short, standard.slice(0, 20)])
        expect(everything, value).not.toContain(key);
    }
  });

  it('never quotes an active key id that is really a key', () => {
    const error = thrown(() =>
      loadKeyRing({
        env: { BOTWIRE_SECRET_KEYS: `a:${standard}`, BOTWIRE_SECRET_ACTIVE_KEY: urlSafe },
        dataDir,
      }),
    );
    expect(error.describe()).not.toContain(urlSafe);
  });
});

describe('loadKeyRing from the key file', () => {
  it('generates a key file with mode 0600 once, warns to back it up, and reuses it', () => {
    const nested = join(dataDir, 'not', 'yet');
    const first = recordingLogger();
    const now = () => new Date('2026-11-28T10:00:00Z');
    const ring = loadKeyRing({ env: {}, dataDir: nested, log: first.log, now });
    const path = join(nested, 'secret-keys');
    expect(ring.keyIds).toEqual(['local-20261128']);
    expect(ring.activeKeyId).toBe('local-20261128');
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^local-20261128:[A-Za-z0-9+/]{43}=$/m);
    expect(first.lines).toEqual([
      {
        level: 'warn',
        message: 'secret-key-generated',
        fields: { path, hint: expect.stringContaining('Back this file up') },
      },
    ]);

    const second = recordingLogger();
    const again = loadKeyRing({ env: {}, dataDir: nested, log: second.log });
    expect(second.lines).toEqual([]);
    expect(again.decrypt(ring.encrypt('value-1', 'slot'), 'slot').plaintext).toBe('value-1');
  });

  it('gives processes that start at once the same key', async () => {
    const module = fileURLToPath(new URL('./load-key-ring.ts', import.meta.url));
    const script = `const { loadKeyRing } = await import(${JSON.stringify(module)});
      process.stdout.write(loadKeyRing({ env: {}, dataDir: process.argv[1] }).encrypt('same', 'slot'));`;
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '-e', script, dataDir], {
          env: {},
        });
        let output = '';
        child.stdout.on('data', (chunk) => {
          output += chunk;
        });
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(output))));
      });
    const records = await Promise.all([run(), run(), run()]);
    const ring = loadKeyRing({ env: {}, dataDir });
    expect(ring.keyIds).toHaveLength(1);
    for (const record of records) expect(ring.decrypt(record, 'slot').plaintext).toBe('same');
  });

  it('reads a key file someone wrote, the first key active unless BOTWIRE_SECRET_ACTIVE_KEY says', () => {
    const path = join(dataDir, 'secret-keys');
    writeFileSync(path, `# my keys\n\nnew:${urlSafe}\r\nold:${standard}\n`, { mode: 0o600 });
    expect(loadKeyRing({ env: {}, dataDir }).activeKeyId).toBe('new');
    expect(loadKeyRing({ env: { BOTWIRE_SECRET_ACTIVE_KEY: 'old' }, dataDir }).activeKeyId).toBe(
      'old',
    );
    const unknown = thrown(() =>
      loadKeyRing({ env: { BOTWIRE_SECRET_ACTIVE_KEY: 'nope' }, dataDir }),
    );
    expect(unknown.message).toBe(
      `BOTWIRE_SECRET_ACTIVE_KEY names "nope" that the key file ${path} does not have (it has new, old).`,
    );
  });

  it('names the bad line of a key file, never its key', () => {
    const short = randomBytes(20).toString('base64');
    writeFileSync(join(dataDir, 'secret-keys'), `good:${urlSafe}\nbad:${short}\n`, { mode: 0o600 });
    const error = thrown(() => loadKeyRing({ env: {}, dataDir }));
    expect(error.code).toBe('BOTWIRE_SECRET_KEYS_INVALID');
    expect(error.message).toContain(`The key file ${join(dataDir, 'secret-keys')} is invalid`);
    expect(error.message).toContain('line 2 (key "bad"): the key decodes to 20 bytes');
    expect(error.describe()).not.toContain(short);
  });

  it.runIf(posix)('warns when others may read the key file, and still uses it', () => {
    const path = join(dataDir, 'secret-keys');
    writeFileSync(path, `mine:${standard}\n`);
    chmodSync(path, 0o644);
    const { log, lines } = recordingLogger();
    expect(loadKeyRing({ env: {}, dataDir, log }).activeKeyId).toBe('mine');
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'secret-key-file-readable',
        fields: {
          path,
          mode: '0644',
          hint: `Other users of this machine may read the keys: chmod 600 ${path}`,
        },
      },
    ]);
  });

  it('prefers BOTWIRE_SECRET_KEYS to the key file', () => {
    writeFileSync(join(dataDir, 'secret-keys'), `file:${standard}\n`, { mode: 0o600 });
    expect(loadKeyRing({ env: { BOTWIRE_SECRET_KEYS: `env:${urlSafe}` }, dataDir }).keyIds).toEqual(
      ['env'],
    );
  });
});
