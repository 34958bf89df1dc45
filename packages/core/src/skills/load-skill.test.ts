import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defineSkill } from './define-skill';
import { loadSkill, resolveSkill } from './load-skill';
import type { SkillManifest } from './skill-manifest';
import { validateSkillPath } from './validate-skill-path';

const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url));
const packageBot = join(fixtures, 'package-bot');

const inlineManifest: SkillManifest = {
  name: 'inline-echo',
  version: '1.0.0',
  description: 'An inline skill.',
  tools: [
    {
      name: 'inline_echo',
      description: 'Echoes.',
      input_schema: { type: 'object' },
      permissions: [],
      side_effects: false,
      timeout_ms: 1000,
    },
  ],
};

describe('resolveSkill', () => {
  it('resolves a directory and a skill.json relative to the base directory', () => {
    const expected = join(fixtures, 'valid', 'skill.json');
    expect(resolveSkill('./valid', fixtures)).toMatchObject({
      manifestPath: expected,
      root: join(fixtures, 'valid'),
    });
    expect(resolveSkill('./valid/skill.json', fixtures)).toMatchObject({ manifestPath: expected });
    expect(resolveSkill(join(fixtures, 'valid'), '/')).toMatchObject({ manifestPath: expected });
  });

  it('resolves a package whose exports hide skill.json, through its package.json', () => {
    const resolved = resolveSkill('@acme/skill-greet', packageBot);
    expect(resolved).toMatchObject({
      manifestPath: join(packageBot, 'node_modules/@acme/skill-greet/skill.json'),
      packageJsonPath: join(packageBot, 'node_modules/@acme/skill-greet/package.json'),
    });
  });

  it('resolves a package whose exports hide both skill.json and package.json', () => {
    expect(resolveSkill('skill-hidden', packageBot)).toMatchObject({
      manifestPath: join(packageBot, 'node_modules/skill-hidden/skill.json'),
    });
  });

  it('reports a missing path, a directory without skill.json and a missing package', () => {
    expect(resolveSkill('./nowhere', fixtures)).toMatchObject({ code: 'BOTWIRE_SKILL_NOT_FOUND' });
    expect(resolveSkill('./invalid', fixtures)).toMatchObject({
      code: 'BOTWIRE_SKILL_NOT_FOUND',
      message: expect.stringContaining('has no skill.json'),
    });
    const missing = resolveSkill('@acme/skill-missing', packageBot);
    expect(missing).toMatchObject({
      code: 'BOTWIRE_SKILL_NOT_FOUND',
      message: expect.stringContaining('pnpm add @acme/skill-missing'),
    });
  });

  it('suggests ./ when a bare name is a local directory', () => {
    expect(resolveSkill('valid', fixtures)).toMatchObject({
      message: expect.stringContaining('"./valid"'),
    });
  });
});

describe('loadSkill', () => {
  it('loads a TypeScript skill: manifest, module and handlers', async () => {
    const result = await loadSkill('./valid', { baseDir: fixtures });
    expect(result.problems).toEqual([]);
    expect(result.manifest?.name).toBe('fixture-notes');
    expect(result.modulePath).toBe(join(fixtures, 'valid', 'index.ts'));
    expect(Object.keys(result.definition?.tools ?? {}).sort()).toEqual([
      'echo',
      'fetch_page',
      'save_note',
    ]);
  });

  it('loads a package by name from its package entry (default export)', async () => {
    const result = await loadSkill('@acme/skill-greet', { baseDir: packageBot });
    expect(result.problems).toEqual([]);
    expect(result.modulePath).toBe(join(packageBot, 'node_modules/@acme/skill-greet/lib/index.js'));
    expect(await result.definition?.tools.greet?.({ name: 'Ann' }, {} as never)).toEqual({
      text: 'Hello, Ann!',
    });
  });

  it('loads a CommonJS package whose module has a named `skill` export', async () => {
    const result = await loadSkill('skill-hidden', { baseDir: packageBot });
    expect(result.problems).toEqual([]);
    expect(await result.definition?.tools.whisper?.({ text: 'HUSH' }, {} as never)).toEqual({
      text: 'hush',
    });
  });

  it('reports a declared tool without a handler and a handler without a tool', async () => {
    const result = await loadSkill('./handler-missing', { baseDir: fixtures });
    expect(result.definition).toBeUndefined();
    expect(result.modulePath).toBe(join(fixtures, 'handler-missing', 'src', 'handlers.ts'));
    expect(result.problems.map((problem) => `${problem.code} ${problem.path}`)).toEqual([
      'BOTWIRE_SKILL_HANDLER_MISSING /tools/1',
      'BOTWIRE_SKILL_HANDLER_EXTRA /tools',
    ]);
    expect(result.problems[0]!.message).toContain('tool "second" has no handler');
    expect(result.problems[0]!.file).toBe(join(fixtures, 'handler-missing', 'skill.json'));
  });

  it('does not load the module when handlers are not checked', async () => {
    const result = await loadSkill('./handler-missing', {
      baseDir: fixtures,
      checkHandlers: false,
    });
    expect(result.problems).toEqual([]);
    expect(result.modulePath).toBeUndefined();
  });

  it('reports manifest problems with the manifest path as file', async () => {
    const result = await loadSkill('./invalid/bad-version', {
      baseDir: fixtures,
      checkHandlers: false,
    });
    expect(result.manifest).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'BOTWIRE_MANIFEST_FIELD_PATTERN',
        path: '/version',
        file: join(fixtures, 'invalid', 'bad-version', 'skill.json'),
      }),
    ]);
  });

  it('validates inline skills the same way', async () => {
    const definition = defineSkill({ tools: { inline_echo: (input: unknown) => input } });
    const good = await loadSkill({ manifest: inlineManifest, definition }, { baseDir: fixtures });
    expect(good.problems).toEqual([]);
    expect(good.manifestPath).toBe('inline:inline-echo');

    const bad = await loadSkill(
      { manifest: { ...inlineManifest, version: 'one' }, definition: defineSkill({ tools: {} }) },
      { baseDir: fixtures },
    );
    expect(bad.problems.map((problem) => problem.code)).toEqual([
      'BOTWIRE_MANIFEST_FIELD_PATTERN',
      'BOTWIRE_SKILL_HANDLER_MISSING',
    ]);
  });
});

describe('validateSkillPath', () => {
  it('accepts the valid skill, by directory or by skill.json', async () => {
    for (const path of [join(fixtures, 'valid'), join(fixtures, 'valid', 'skill.json')]) {
      const result = await validateSkillPath(path, { checkHandlers: true });
      expect(result.problems).toEqual([]);
      expect(result.manifest?.name).toBe('fixture-notes');
      expect(result.manifestPath).toBe(join(fixtures, 'valid', 'skill.json'));
    }
  });

  it.each([
    ['missing-name', 'BOTWIRE_MANIFEST_FIELD_MISSING'],
    ['bad-version', 'BOTWIRE_MANIFEST_FIELD_PATTERN'],
    ['duplicate-tools', 'BOTWIRE_MANIFEST_DUPLICATE_TOOL'],
    ['unknown-permission', 'BOTWIRE_MANIFEST_FIELD_ENUM'],
    ['input-schema-invalid', 'BOTWIRE_MANIFEST_INPUT_SCHEMA_INVALID'],
    ['input-schema-not-object', 'BOTWIRE_MANIFEST_INPUT_SCHEMA_INVALID'],
    ['tool-name-spaces', 'BOTWIRE_MANIFEST_FIELD_PATTERN'],
    ['command-missing-tool', 'BOTWIRE_MANIFEST_COMMAND_TOOL_UNKNOWN'],
  ])('rejects invalid/%s with %s', async (name, code) => {
    const result = await validateSkillPath(`invalid/${name}`, { cwd: fixtures });
    expect(result.manifest).toBeUndefined();
    expect(result.problems.map((problem) => problem.code)).toEqual([code]);
    expect(result.manifestPath).toBe(join(fixtures, 'invalid', name, 'skill.json'));
  });

  it('rejects a skill.json that is not JSON, with its line and column', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'botwire-not-json-'));
    try {
      writeFileSync(join(directory, 'skill.json'), '{\n  "name": "not-json",\n}\n');
      const result = await validateSkillPath(directory, { checkHandlers: true });
      expect(result.problems).toEqual([
        expect.objectContaining({
          code: 'BOTWIRE_MANIFEST_NOT_JSON',
          message: expect.stringContaining('line 3, column 1'),
        }),
      ]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('reports a missing handler only when asked to check handlers', async () => {
    const path = join(fixtures, 'handler-missing');
    expect((await validateSkillPath(path)).problems).toEqual([]);
    const checked = await validateSkillPath(path, { checkHandlers: true });
    expect(checked.problems.map((problem) => problem.code)).toContain(
      'BOTWIRE_SKILL_HANDLER_MISSING',
    );
  });

  it('returns a problem instead of throwing for a path that does not exist', async () => {
    const result = await validateSkillPath(join(fixtures, 'nowhere'));
    expect(result.problems).toEqual([expect.objectContaining({ code: 'BOTWIRE_SKILL_NOT_FOUND' })]);
  });
});
