import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BotwireError, isBotwireError } from '../errors/botwire-error';
import { findConfigFile, loadConfig } from './load-config';
import { validateConfig } from './validate-config';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'botwire-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('loads a TypeScript config, with .env read first and the real environment winning', async () => {
    writeFileSync(join(dir, '.env'), 'BOT_NAME=FromDotEnv\nSHARED=from-file\n');
    writeFileSync(
      join(dir, 'botwire.config.ts'),
      "const name: string = process.env.BOT_NAME ?? 'none';\nexport default { name, persona: process.env.SHARED, access: 'open' as const };\n",
    );
    const env: NodeJS.ProcessEnv = { SHARED: 'from-environment' };
    const previous = { ...process.env };
    try {
      Object.assign(process.env, env);
      delete process.env.BOT_NAME;
      const loaded = await loadConfig(undefined, { cwd: dir });
      expect(loaded.config).toEqual({
        name: 'FromDotEnv',
        persona: 'from-environment',
        access: 'open',
      });
      expect(loaded.envNames).toEqual(['BOT_NAME']);
      expect(loaded.dataDir).toBe(join(dir, 'data'));
    } finally {
      process.env = previous;
    }
  });

  it('loads a JSON config and lets BOTWIRE_DATA_DIR override the data directory', async () => {
    writeFileSync(
      join(dir, 'botwire.config.json'),
      JSON.stringify({ name: 'J', dataDir: 'state' }),
    );
    expect((await loadConfig(undefined, { cwd: dir, env: {} })).dataDir).toBe(join(dir, 'state'));
    expect(
      (await loadConfig(undefined, { cwd: dir, env: { BOTWIRE_DATA_DIR: '/var/lib/bot' } }))
        .dataDir,
    ).toBe('/var/lib/bot');
  });

  it('prefers botwire.config.ts over .json when both exist', () => {
    writeFileSync(join(dir, 'botwire.config.json'), '{}');
    writeFileSync(join(dir, 'botwire.config.ts'), 'export default {};');
    expect(findConfigFile(dir)).toBe(join(dir, 'botwire.config.ts'));
  });

  it('says where it looked when there is no config', async () => {
    const error = await loadConfig(undefined, { cwd: dir }).catch((caught: unknown) => caught);
    expect(isBotwireError(error, 'BOTWIRE_CONFIG_NOT_FOUND')).toBe(true);
    expect((error as BotwireError).message).toContain(dir);
    expect((error as BotwireError).hint).toMatch(/botwire init/);
  });

  it('reports a config that does not parse, naming the file', async () => {
    writeFileSync(join(dir, 'botwire.config.ts'), 'export default { name: ');
    const error = await loadConfig(undefined, { cwd: dir }).catch((caught: unknown) => caught);
    expect(isBotwireError(error, 'BOTWIRE_CONFIG_LOAD_FAILED')).toBe(true);
    expect((error as BotwireError).message).toContain('botwire.config.ts');
  });

  it('lists every invalid field with its path', async () => {
    mkdirSync(join(dir, 'nested'));
    writeFileSync(
      join(dir, 'nested', 'bot.json'),
      JSON.stringify({
        Name: 'x',
        access: 'public',
        locale: 'German',
        skills: [{ use: './a', permissions: ['disk'] }, 42],
        allow: ['bob'],
      }),
    );
    const error = (await loadConfig('nested/bot.json', { cwd: dir }).catch(
      (caught: unknown) => caught,
    )) as BotwireError;
    expect(error.code).toBe('BOTWIRE_CONFIG_INVALID');
    expect(error.problems.map((problem) => problem.path).sort()).toEqual(
      ['Name', 'access', 'allow[0]', 'locale', 'skills[0].permissions[0]', 'skills[1]'].sort(),
    );
    expect(error.problems.find((problem) => problem.path === 'Name')?.message).toMatch(
      /did you mean "name"/,
    );
    expect(error.problems.every((problem) => problem.file?.endsWith('bot.json'))).toBe(true);
  });
});

describe('validateConfig', () => {
  it('accepts a full valid config', () => {
    expect(
      validateConfig({
        name: 'Bot',
        access: 'open',
        locale: 'ru',
        allow: ['telegram:1', 'usr_01ABC'],
        storage: 'memory',
        adapters: ['console', { use: 'telegram', options: {} }],
        skills: ['@acme/x', { use: './y', permissions: ['storage', 'network'], config: { a: 1 } }],
        middleware: [() => {}],
        log: { level: 'debug', format: 'json' },
        defaultTimezone: 'Asia/Yekaterinburg',
      }),
    ).toEqual([]);
    expect(validateConfig({ defaultTimezone: 'UTC+03:00' })).toEqual([]);
  });

  it('refuses a default time zone that is not one, at load', () => {
    const [problem, ...others] = validateConfig({ defaultTimezone: 'Mars/Olympus' });
    expect(others).toEqual([]);
    expect(problem).toMatchObject({ path: 'defaultTimezone' });
    expect(problem?.message).toMatch(/"Mars\/Olympus" is not a time zone/);
  });

  it('rejects a config that is not an object', () => {
    expect(validateConfig(null)[0]?.message).toMatch(/must be an object/);
  });
});
