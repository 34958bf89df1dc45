import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const echoSkill = fileURLToPath(new URL('../fixtures/echo-bot/skills/echo', import.meta.url));

// The parent's BOTWIRE_* variables must not reach the bot (a BOTWIRE_SECRET_KEYS would win).
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('BOTWIRE_')),
);

let workDir: string;
let config: string;
let dataDir: string;

/** Runs the built CLI with `input` on standard input; returns the exit code and both streams. */
function botwire(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [bin, ...args, '--config', config], {
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...cleanEnv, ...options.env },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under `dir`, read as latin1 (like `strings`), joined. */
function everyFileText(dir: string): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? everyFileText(path) : readFileSync(path).toString('latin1');
    })
    .join('\n');
}

const value = 'sk-live-PLAINTEXT-4242-do-not-leak';
const other = 'echo-only-VALUE-9191';

beforeAll(() => {
  if (!existsSync(bin))
    throw new Error(`The CLI is not built (${bin}); run node scripts/ensure-built.mjs first.`);
  workDir = mkdtempSync(join(tmpdir(), 'botwire-secrets-cli-'));
  config = join(workDir, 'botwire.config.json');
  dataDir = join(workDir, 'data');
  writeFileSync(
    config,
    JSON.stringify({
      name: 'Secrets',
      storage: 'sqlite',
      dataDir: './data',
      skills: [{ use: echoSkill, permissions: [] }],
    }),
  );
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('botwire secrets', () => {
  let kid = '';

  it('set reads the value from standard input, generates the key file, and keeps no plaintext', () => {
    const result = botwire(['secrets', 'set', 'api_token'], { input: `${value}\n` });
    expect(result.stderr).toContain('secret-key-generated');
    expect(result.code).toBe(0);
    kid = /^saved api_token \(key (local-\d{8})\)$/m.exec(result.stdout)?.[1] ?? '';
    expect(kid).not.toBe('');
    const keyFile = join(dataDir, 'secret-keys');
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toContain(`${kid}:`);

    const second = botwire(['secrets', 'set', 'echo_key', other, '--skill', 'echo']);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(`saved echo_key (key ${kid})\n`);
    expect(second.stderr).not.toContain('secret-key-generated');

    const stored = everyFileText(dataDir);
    expect(stored).toContain('bw1:');
    for (const secret of [value, other]) {
      expect(stored).not.toContain(secret);
      expect(`${result.stdout}${result.stderr}${second.stdout}${second.stderr}`).not.toContain(
        secret,
      );
    }
  });

  it('list shows names, scopes and key ids, never values', () => {
    const result = botwire(['secrets', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^api_token +\\* +- +${kid} +\\d{4}-`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^echo_key +echo +- +${kid} +\\d{4}-`, 'm'));
    const json = botwire(['secrets', 'list', '--json', '--skill', 'echo']);
    expect(JSON.parse(json.stdout)).toEqual([
      { skill: 'echo', name: 'echo_key', kid, updatedAt: expect.any(String) },
    ]);
    for (const output of [result.stdout, result.stderr, json.stdout])
      for (const secret of [value, other]) expect(output).not.toContain(secret);
  });

  it('refuses an unknown skill or user, and --user without --skill', () => {
    const skill = botwire(['secrets', 'set', 'x_token', 'v-12345', '--skill', 'ecco']);
    expect(skill.code).toBe(1);
    expect(skill.stderr).toMatch(/no skill "ecco" \(it has echo\)/);
    const user = botwire([
      'secrets',
      'set',
      'x_token',
      'v-12345',
      '--skill',
      'echo',
      '--user',
      'usr_nobody',
    ]);
    expect(user.code).toBe(1);
    expect(user.stderr).toMatch(/no user "usr_nobody"/);
    const lone = botwire(['secrets', 'rm', 'x_token', '--user', 'usr_nobody']);
    expect(lone.code).toBe(1);
    expect(lone.stderr).toMatch(/--user needs --skill/);
    const name = botwire(['secrets', 'set', 'bad name'], { input: 'v-12345' });
    expect(name.code).toBe(1);
    expect(name.stderr).toMatch(/BOTWIRE_INVALID_ARGUMENT.*name must be 1 to 128/);
    const empty = botwire(['secrets', 'set', 'empty'], { input: '\n' });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/No value for empty/);
  });

  it('rotate encrypts every secret again under the new active key', () => {
    const oldKey = /^local-\d{8}:(\S+)$/m.exec(
      readFileSync(join(dataDir, 'secret-keys'), 'utf8'),
    )?.[1];
    const newKey = randomBytes(32).toString('base64url');
    const both = {
      BOTWIRE_SECRET_KEYS: `${kid}:${oldKey},next:${newKey}`,
      BOTWIRE_SECRET_ACTIVE_KEY: 'next',
    };
    const rotated = botwire(['secrets', 'rotate'], { env: both });
    expect(rotated.stderr).not.toMatch(/BOTWIRE_/);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toBe(
      're-encrypted 2 of 2 secret(s) under key next; none remain under older keys.\n',
    );
    const listed = JSON.parse(
      botwire(['secrets', 'list', '--json'], { env: both }).stdout,
    ) as Array<{
      kid: string;
    }>;
    expect(listed.map((info) => info.kid)).toEqual(['next', 'next']);

    // The old key can go: everything decrypts with the new one alone.
    const newOnly = { BOTWIRE_SECRET_KEYS: `next:${newKey}` };
    const again = botwire(['secrets', 'rotate'], { env: newOnly });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/re-encrypted 0 of 2/);

    // Without the key the records are under, rotate says which key is missing.
    const wrong = botwire(['secrets', 'rotate'], {
      env: { BOTWIRE_SECRET_KEYS: `other:${randomBytes(32).toString('base64')}` },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/BOTWIRE_SECRET_KEY_MISSING/);
    expect(wrong.stderr).toContain('"next"');
    expect(`${rotated.stdout}${rotated.stderr}${wrong.stderr}`).not.toContain(newKey);
  });

  it('rm deletes a secret, and exits 1 when there is none', () => {
    const env = { BOTWIRE_SECRET_KEYS: `unused:${randomBytes(32).toString('base64')}` };
    const removed = botwire(['secrets', 'rm', 'echo_key', '--skill', 'echo'], { env });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe('removed echo_key of skill echo (bot-wide)\n');
    const missing = botwire(['secrets', 'rm', 'echo_key', '--skill', 'echo'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/There is no secret "echo_key" of skill echo \(bot-wide\)/);
    expect(botwire(['secrets', 'list'], { env }).stdout).not.toContain('echo_key');
  });
});
