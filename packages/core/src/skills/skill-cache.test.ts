import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type BotwireError, isBotwireError } from '../errors/botwire-error';
import { loadSkill } from './load-skill';
import { checkedModule, defaultSkillCacheDir, SkillCache, validatorsToCache } from './skill-cache';
import { loadSkills } from './skill-registry';
import { validateManifest } from './validate-manifest';

const temporary: string[] = [];
afterEach(() => {
  for (const directory of temporary.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(directory);
  return directory;
}

const manifest = (overrides: Record<string, unknown> = {}) => ({
  name: 'cached',
  version: '1.0.0',
  description: 'A skill for the cache tests.',
  entry: 'index.mjs',
  tools: [
    {
      name: 'repeat',
      description: 'Repeats a text.',
      input_schema: {
        type: 'object',
        properties: {
          text: { type: 'string', minLength: 2 },
          times: { type: 'integer', minimum: 1, maximum: 3, default: 1 },
          link: { type: 'string', format: 'uri' },
          mode: { enum: ['plain', 'loud'] },
        },
        required: ['text'],
        additionalProperties: false,
      },
      output_schema: {
        type: 'object',
        properties: { text: { type: 'string' } },
        required: ['text'],
      },
      permissions: [],
      side_effects: false,
      timeout_ms: 2000,
    },
  ],
  config_schema: {
    type: 'object',
    properties: { prefix: { type: 'string', default: '>' } },
    additionalProperties: false,
  },
  ...overrides,
});

/** Counts, in globalThis, how often each skill module was evaluated. */
const imports = (directory: string): number =>
  (globalThis as { botwireCacheTestImports?: Record<string, number> }).botwireCacheTestImports?.[
    directory
  ] ?? 0;

/** A skill folder whose module counts its imports and imports `helper.mjs`. */
function writeSkill(overrides: Record<string, unknown> = {}): string {
  const directory = temporaryDirectory('botwire-cached-skill-');
  writeFileSync(join(directory, 'skill.json'), JSON.stringify(manifest(overrides), null, 2));
  writeFileSync(join(directory, 'helper.mjs'), 'export const twice = (text) => text + text;\n');
  writeFileSync(
    join(directory, 'index.mjs'),
    [
      "import { twice } from './helper.mjs';",
      'const counts = (globalThis.botwireCacheTestImports ??= {});',
      `counts[${JSON.stringify(directory)}] = (counts[${JSON.stringify(directory)}] ?? 0) + 1;`,
      'export default { tools: { repeat: async ({ text, times }) => ({ text: twice(text).repeat(times) }) } };',
      '',
    ].join('\n'),
  );
  return directory;
}

const cacheFiles = (cacheDir: string) =>
  readdirSync(cacheDir).filter((file) => file.startsWith('skill-') && file.endsWith('.json'));

/**
 * Writes what an earlier start in another process leaves for a sound skill: the manifest and
 * the module, checked. (In this process the module was never imported, so nothing is cached
 * by the module loader either.)
 */
function rememberCheckedSkill(skill: string, cacheDir: string): void {
  const cache = new SkillCache(cacheDir);
  const text = readFileSync(join(skill, 'skill.json'), 'utf8');
  const parsed = JSON.parse(text) as unknown;
  expect(validateManifest(parsed)).toEqual([]);
  cache.write(cache.key(join(skill, 'skill.json'), text), {
    validators: validatorsToCache(parsed)!,
    module: checkedModule(join(skill, 'index.mjs'))!,
  });
}

async function rejection(promise: Promise<unknown>): Promise<BotwireError> {
  try {
    await promise;
  } catch (error) {
    if (isBotwireError(error)) return error;
    throw error;
  }
  throw new Error('expected the promise to reject');
}

describe('the skill cache', () => {
  it('writes a sound skill once, then restores it without importing its module until a tool is called', async () => {
    const skill = writeSkill();
    const cacheDir = temporaryDirectory('botwire-skill-cache-');

    const first = await loadSkill(skill, { baseDir: skill, cache: new SkillCache(cacheDir) });
    expect(first.problems).toEqual([]);
    expect(first.definition).toBeDefined();
    expect(imports(skill)).toBe(1);
    expect(cacheFiles(cacheDir)).toHaveLength(1);

    const registry = await loadSkills([{ use: skill, config: {} }], { baseDir: skill, cacheDir });
    expect(imports(skill)).toBe(1);
    const second = await loadSkill(skill, { baseDir: skill, cache: new SkillCache(cacheDir) });
    expect(second.problems).toEqual([]);
    expect(second.definition).toBeUndefined();
    expect(second.loadDefinition).toBeTypeOf('function');

    expect(await registry.callTool('repeat', { text: 'ab', times: 2 })).toEqual({
      text: 'abababab',
    });
    expect(registry.skills[0]!.config).toEqual({ prefix: '>' });
  });

  it('gives the same errors and defaults from cached validators as from freshly compiled ones', async () => {
    const skill = writeSkill();
    const cacheDir = temporaryDirectory('botwire-skill-cache-');
    const cold = await loadSkills([skill], { baseDir: skill, cacheDir });
    const warm = await loadSkills([skill], { baseDir: skill, cacheDir });
    const uncached = await loadSkills([skill], { baseDir: skill });

    const bad = { text: 'x', times: 9, link: 'not a uri', mode: 'quiet', extra: true };
    const failures = [cold, warm, uncached].map((registry) => {
      try {
        registry.checkArguments('repeat', bad);
        return undefined;
      } catch (error) {
        return (error as BotwireError).problems;
      }
    });
    expect(failures[0]!.length).toBeGreaterThanOrEqual(5);
    expect(failures[1]).toEqual(failures[2]);
    expect(failures[0]).toEqual(failures[2]);
    expect(warm.checkArguments('repeat', { text: 'hi' })).toEqual({ text: 'hi', times: 1 });
  });

  it('validates a changed manifest again, and reports its problems as precisely as without a cache', async () => {
    const skill = writeSkill();
    const cacheDir = temporaryDirectory('botwire-skill-cache-');
    await loadSkill(skill, { baseDir: skill, cache: new SkillCache(cacheDir) });

    const broken = manifest({ version: 'one' });
    (broken.tools[0] as { name: string }).name = 'Repeat it';
    writeFileSync(join(skill, 'skill.json'), JSON.stringify(broken, null, 2));
    const result = await loadSkill(skill, {
      baseDir: skill,
      cache: new SkillCache(cacheDir),
      checkHandlers: false,
    });
    const file = join(skill, 'skill.json');
    expect(result.problems.map(({ code, path }) => ({ code, path }))).toEqual(
      validateManifest(broken, { file }).map(({ code, path }) => ({ code, path })),
    );
    expect(result.problems.map((problem) => problem.code)).toEqual(
      expect.arrayContaining(['BOTWIRE_MANIFEST_FIELD_PATTERN']),
    );
    expect(result.manifest).toBeUndefined();
    // A manifest with problems is never cached.
    expect(cacheFiles(cacheDir)).toHaveLength(1);
  });

  it('keeps one entry per skill.json: a new version replaces the one before', async () => {
    const skill = writeSkill();
    const other = writeSkill({ name: 'other' });
    const cacheDir = temporaryDirectory('botwire-skill-cache-');
    await loadSkill(skill, { baseDir: skill, cache: new SkillCache(cacheDir) });
    await loadSkill(other, { baseDir: other, cache: new SkillCache(cacheDir) });
    const before = cacheFiles(cacheDir);
    expect(before).toHaveLength(2);

    writeFileSync(
      join(skill, 'skill.json'),
      JSON.stringify(manifest({ description: 'Edited.' }), null, 2),
    );
    await loadSkill(skill, { baseDir: skill, cache: new SkillCache(cacheDir) });
    const after = cacheFiles(cacheDir);
    expect(after).toHaveLength(2);
    expect(after.filter((file) => before.includes(file))).toHaveLength(1);
  });

  it('ignores a corrupted cache file, validates again and rewrites it', async () => {
    const skill = writeSkill();
    const cacheDir = temporaryDirectory('botwire-skill-cache-');
    await loadSkill(skill, { baseDir: skill, cache: new SkillCache(cacheDir) });
    const [file] = cacheFiles(cacheDir);
    const path = join(cacheDir, file!);
    const sound = readFileSync(path, 'utf8');
    const manifestPath = join(skill, 'skill.json');
    const key = new SkillCache(cacheDir).key(manifestPath, readFileSync(manifestPath, 'utf8'));
    expect(new SkillCache(cacheDir).read(key)).toBeDefined();

    const corruptions = [
      sound.slice(0, sound.length / 2),
      '',
      'not json at all',
      // Altered after it was written: the checksum no longer matches.
      sound.replace('minLength', 'maxLength'),
    ];
    for (const corrupted of corruptions) {
      expect(corrupted).not.toBe(sound);
      writeFileSync(path, corrupted);
      expect(new SkillCache(cacheDir).read(key)).toBeUndefined();
      const result = await loadSkill(skill, { baseDir: skill, cache: new SkillCache(cacheDir) });
      expect(result.problems).toEqual([]);
      // Validated and imported again, as on a first start, and written anew.
      expect(result.definition).toBeDefined();
      expect(new SkillCache(cacheDir).read(key)?.module?.path).toBe(join(skill, 'index.mjs'));
    }
  });

  it('falls back to validation when a cached validator does not evaluate', async () => {
    const skill = writeSkill();
    const cacheDir = temporaryDirectory('botwire-skill-cache-');
    const cache = new SkillCache(cacheDir);
    const text = readFileSync(join(skill, 'skill.json'), 'utf8');
    const key = cache.key(join(skill, 'skill.json'), text);
    const validators = validatorsToCache(JSON.parse(text))!.map((validator) => ({
      ...validator,
      source: 'throw new Error("broken")',
    }));
    cache.write(key, { validators });

    const registry = await loadSkills([skill], { baseDir: skill, cacheDir });
    expect(() => registry.checkArguments('repeat', { text: 'x' })).toThrow(/at least 2/);
    expect(cache.read(key)?.validators[0]?.source).not.toContain('broken');
  });

  it('imports and checks at start a module that changed since it was checked', async () => {
    const skill = writeSkill();
    const cacheDir = temporaryDirectory('botwire-skill-cache-');
    rememberCheckedSkill(skill, cacheDir);

    writeFileSync(join(skill, 'index.mjs'), 'export default { tools: {} };\n');
    const error = await rejection(loadSkills([skill], { baseDir: skill, cacheDir }));
    expect(error.code).toBe('BOTWIRE_SKILLS_INVALID');
    expect(error.problems.map((problem) => problem.code)).toEqual([
      'BOTWIRE_SKILL_HANDLER_MISSING',
    ]);
  });

  it('fails the first call, not the start, when a checked module no longer loads', async () => {
    const skill = writeSkill();
    const cacheDir = temporaryDirectory('botwire-skill-cache-');
    rememberCheckedSkill(skill, cacheDir);
    // Since then a module it imports broke.
    writeFileSync(join(skill, 'helper.mjs'), 'throw new Error("helper is broken");\n');

    const registry = await loadSkills([skill], { baseDir: skill, cacheDir });
    expect(imports(skill)).toBe(0);
    const error = await rejection(registry.callTool('repeat', { text: 'ab' }));
    expect(error.code).toBe('BOTWIRE_SKILL_LOAD_FAILED');
    expect(error.message).toMatch(/helper is broken/);
  });

  it('checks the config against the cached config_schema validator', async () => {
    const skill = writeSkill();
    const cacheDir = temporaryDirectory('botwire-skill-cache-');
    await loadSkills([skill], { baseDir: skill, cacheDir });
    const error = await rejection(
      loadSkills([{ use: skill, config: { prefix: 3 } }], { baseDir: skill, cacheDir }),
    );
    expect(error.problems).toEqual([
      expect.objectContaining({
        code: 'BOTWIRE_SKILL_CONFIG_INVALID',
        path: 'skills[0].config.prefix',
      }),
    ]);
  });

  it('lives in the nearest node_modules at or above the bot, else in the data directory', () => {
    const project = temporaryDirectory('botwire-cache-place-');
    const bot = join(project, 'bots', 'first');
    mkdirSync(bot, { recursive: true });
    expect(defaultSkillCacheDir(bot, join(bot, 'data'))).toBe(join(bot, 'data', 'cache'));
    mkdirSync(join(project, 'node_modules'));
    expect(defaultSkillCacheDir(bot, join(bot, 'data'))).toBe(
      join(project, 'node_modules', '.cache', 'botwire'),
    );
  });
});
