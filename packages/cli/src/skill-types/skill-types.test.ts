import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { schemaToType } from './schema-to-type';
import { inputTypeName, skillTypesFile } from './skill-types-file';
import { planSkillTypes } from './write-skill-types';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/** Every skill.json under a folder, skipping installed and built files. */
function manifestsUnder(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...manifestsUnder(path));
    else if (entry.name === 'skill.json') found.push(path);
  }
  return found;
}

/**
 * Fixtures that are wrong on purpose, so the loader's own checks can be tested: their
 * manifests are invalid, or (handler-missing) their module lacks a handler on purpose, which
 * typed handlers would refuse to compile.
 */
const exempt = [/fixtures\/invalid\//, /fixtures\/handler-missing\//];

describe('schemaToType', () => {
  it('writes required, optional and defaulted properties, enums, arrays and nested objects', () => {
    const type = schemaToType({
      type: 'object',
      properties: {
        query: { type: 'string', description: 'What to look for.' },
        limit: { type: 'integer', default: 5 },
        mode: { enum: ['fast', 'full'] },
        tags: { type: 'array', items: { type: 'string' } },
        when: { type: ['string', 'null'] },
        'max-size': { type: 'number' },
        filter: {
          type: 'object',
          properties: { since: { type: 'string' } },
          required: ['since'],
          additionalProperties: false,
        },
      },
      required: ['query'],
    });
    expect(type).toBe(
      [
        '{',
        '  /** What to look for. */',
        '  query: string;',
        '  limit: number;',
        "  mode?: 'fast' | 'full';",
        '  tags?: string[];',
        '  when?: string | null;',
        "  'max-size'?: number;",
        '  filter?: {',
        '    since: string;',
        '  };',
        '}',
      ].join('\n'),
    );
  });

  it('follows local $refs, and writes anyOf as a union, const as a literal and maps as index signatures', () => {
    const type = schemaToType({
      type: 'object',
      $defs: { point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }] } },
      properties: {
        at: { $ref: '#/$defs/point' },
        target: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        kind: { const: "it's" },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        choice: { type: 'array', items: { enum: ['a', 'b'] } },
      },
      required: ['at', 'target', 'kind', 'headers', 'choice'],
    });
    expect(type).toContain('at: [number, number, ...unknown[]];');
    expect(type).toContain('target: string | string[];');
    expect(type).toContain("kind: 'it\\'s';");
    expect(type).toContain('headers: {\n    [key: string]: string;\n  };');
    expect(type).toContain("choice: ('a' | 'b')[];");
  });

  it('breaks a union longer than a line into one member per line', () => {
    const members = Array.from({ length: 12 }, (_, index) => `option-number-${index}`);
    const type = schemaToType({
      type: 'object',
      properties: { pick: { enum: members } },
      required: ['pick'],
    });
    expect(type).toContain("  pick:\n    | 'option-number-0'\n    | 'option-number-1'");
  });

  it('has no properties to offer for an empty object schema', () => {
    expect(schemaToType({ type: 'object' })).toBe('Record<string, unknown>');
    expect(schemaToType({ type: 'object', additionalProperties: false })).toBe(
      'Record<string, never>',
    );
  });
});

describe('skillTypesFile', () => {
  it('names each input after its tool and maps every tool in SkillInputs', () => {
    expect(inputTypeName('web_search')).toBe('WebSearchInput');
    const text = skillTypesFile({
      name: 'notes',
      tools: [
        {
          name: 'save_note',
          description: 'Saves.',
          input_schema: { type: 'object', properties: { title: { type: 'string' } } },
          permissions: [],
          side_effects: true,
          timeout_ms: 1000,
        },
      ],
    });
    expect(text).toContain('export interface SaveNoteInput {\n  title?: string;\n}');
    expect(text).toContain('export interface SkillInputs {\n  save_note: SaveNoteInput;\n}');
  });
});

describe('planSkillTypes', () => {
  it('says where it looked when there is no skill.json', () => {
    expect(() => planSkillTypes(join(repoRoot, 'docs'))).toThrow(/no skill\.json at .*docs/);
  });

  it('refuses an invalid manifest with its problems', () => {
    expect(() =>
      planSkillTypes(join(repoRoot, 'packages/core/src/skills/fixtures/invalid/missing-name')),
    ).toThrow(expect.objectContaining({ code: 'BOTWIRE_SKILL_MANIFEST_INVALID' }));
  });
});

describe('the skills of this repository', () => {
  const manifests = ['packages', 'examples']
    .flatMap((folder) => manifestsUnder(join(repoRoot, folder)))
    .filter((file) => !exempt.some((pattern) => pattern.test(file)));

  it('finds the skills to check', () => {
    const names = manifests.map((file) => relative(repoRoot, file));
    expect(names).toEqual(
      expect.arrayContaining([
        'packages/skills/web-search/skill.json',
        'packages/skills/browser/skill.json',
        'packages/skills/pdf/skill.json',
        'packages/core/src/skills/fixtures/weather-de/skill.json',
      ]),
    );
  });

  it.each(manifests.map((file) => [relative(repoRoot, file), file]))(
    '%s has an up-to-date skill-types.ts (else run botwire skills types on it)',
    (_name, file) => {
      const plan = planSkillTypes(file);
      expect(plan.current, `${plan.outputFile} is missing`).toBeDefined();
      expect(plan.current).toBe(plan.text);
      expect(readFileSync(plan.outputFile, 'utf8')).toContain('export interface SkillInputs');
    },
  );
});
