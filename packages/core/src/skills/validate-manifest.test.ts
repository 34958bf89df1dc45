import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { problemCatalog } from '../errors/error-catalog';
import { parseManifestText, validateManifest } from './validate-manifest';

const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${path}`, import.meta.url)), 'utf8'));

const tool = (overrides: Record<string, unknown> = {}) => ({
  name: 'lookup',
  description: 'Looks things up.',
  input_schema: { type: 'object', properties: { q: { type: 'string' } } },
  permissions: [],
  side_effects: false,
  timeout_ms: 1000,
  ...overrides,
});

const manifest = (overrides: Record<string, unknown> = {}) => ({
  name: 'lookup',
  version: '1.0.0',
  description: 'Looks things up.',
  tools: [tool()],
  ...overrides,
});

const codesAt = (value: unknown) =>
  validateManifest(value).map((problem) => `${problem.code} ${problem.path}`);

describe('validateManifest', () => {
  it('accepts the valid fixture', () => {
    expect(validateManifest(fixture('valid/skill.json'))).toEqual([]);
  });

  it('accepts prerelease and build versions and a draft-07 input_schema', () => {
    const value = manifest({
      version: '2.1.0-beta.1+build.7',
      tools: [
        tool({
          input_schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' },
        }),
      ],
    });
    expect(validateManifest(value)).toEqual([]);
  });

  it.each([
    ['missing-name', 'BOTWIRE_MANIFEST_FIELD_MISSING', '/name', 'name is missing'],
    [
      'bad-version',
      'BOTWIRE_MANIFEST_FIELD_PATTERN',
      '/version',
      'version "1.0" is not a semantic version such as 1.0.0',
    ],
    [
      'duplicate-tools',
      'BOTWIRE_MANIFEST_DUPLICATE_TOOL',
      '/tools/1/name',
      'tool name "lookup" is used by tools[0] and tools[1]',
    ],
    [
      'unknown-permission',
      'BOTWIRE_MANIFEST_FIELD_ENUM',
      '/tools/0/permissions/1',
      'permission "internet" is unknown; use one of network, browser, execute-code',
    ],
    [
      'input-schema-invalid',
      'BOTWIRE_MANIFEST_INPUT_SCHEMA_INVALID',
      '/tools/0/input_schema/properties/a/type',
      '"strin"',
    ],
    [
      'input-schema-not-object',
      'BOTWIRE_MANIFEST_INPUT_SCHEMA_INVALID',
      '/tools/0/input_schema/type',
      '"type": "object"',
    ],
    [
      'tool-name-spaces',
      'BOTWIRE_MANIFEST_FIELD_PATTERN',
      '/tools/0/name',
      'tool name "get weather" must match ^[a-z][a-z0-9_]{0,63}$: lower-case letters, digits and _ only',
    ],
    [
      'command-missing-tool',
      'BOTWIRE_MANIFEST_COMMAND_TOOL_UNKNOWN',
      '/commands/0/tool',
      'runs tool "search", which this skill.json does not declare',
    ],
  ])('rejects %s with %s at %s', (name, code, path, text) => {
    const problems = validateManifest(fixture(`invalid/${name}/skill.json`), {
      file: `${name}/skill.json`,
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code, path, file: `${name}/skill.json` });
    expect(problems[0]!.message).toContain(text);
  });

  it('reports every problem of a manifest at once', () => {
    const problems = validateManifest(fixture('invalid/many-problems/skill.json'));
    expect(problems.map((problem) => `${problem.code} ${problem.path}`).sort()).toEqual(
      [
        'BOTWIRE_MANIFEST_FIELD_UNKNOWN /colour',
        'BOTWIRE_MANIFEST_FIELD_PATTERN /name',
        'BOTWIRE_MANIFEST_FIELD_PATTERN /version',
        'BOTWIRE_MANIFEST_FIELD_PATTERN /tools/0/name',
        'BOTWIRE_MANIFEST_FIELD_ENUM /tools/0/permissions/0',
        'BOTWIRE_MANIFEST_FIELD_TYPE /tools/0/side_effects',
        'BOTWIRE_MANIFEST_FIELD_INVALID /tools/0/timeout_ms',
        'BOTWIRE_MANIFEST_INPUT_SCHEMA_INVALID /tools/0/input_schema/properties/city/type',
        'BOTWIRE_MANIFEST_DUPLICATE_TOOL /tools/2/name',
        'BOTWIRE_MANIFEST_COMMAND_TOOL_UNKNOWN /commands/0/tool',
      ].sort(),
    );
  });

  it('uses only codes from the problem catalog', () => {
    const problems = validateManifest(fixture('invalid/many-problems/skill.json'));
    for (const problem of problems) expect(Object.keys(problemCatalog)).toContain(problem.code);
  });

  it('names the missing field by its path inside a tool', () => {
    const { timeout_ms: _dropped, ...withoutTimeout } = tool();
    expect(codesAt(manifest({ tools: [withoutTimeout] }))).toEqual([
      'BOTWIRE_MANIFEST_FIELD_MISSING /tools/0/timeout_ms',
    ]);
  });

  it('rejects a manifest that is not an object, and an empty tool list', () => {
    expect(codesAt([])).toEqual(['BOTWIRE_MANIFEST_FIELD_TYPE ']);
    expect(codesAt(manifest({ tools: [] }))).toEqual(['BOTWIRE_MANIFEST_FIELD_INVALID /tools']);
  });

  it('suggests the field an unknown one was probably meant to be', () => {
    const [problem] = validateManifest(manifest({ tools: [tool({ timeout: 5 })] }));
    expect(problem).toMatchObject({
      code: 'BOTWIRE_MANIFEST_FIELD_UNKNOWN',
      path: '/tools/0/timeout',
    });
    expect(problem!.message).toContain('did you mean "timeout_ms"');
  });

  it('accepts $schema but rejects other unknown fields in commands', () => {
    expect(
      validateManifest(manifest({ $schema: './node_modules/@botwire/core/skill.schema.json' })),
    ).toEqual([]);
    const commands = [{ name: 'find', tool: 'lookup', description: 'Find', alias: 'f' }];
    expect(codesAt(manifest({ commands }))).toEqual([
      'BOTWIRE_MANIFEST_FIELD_UNKNOWN /commands/0/alias',
    ]);
  });

  it('checks command descriptions, names and arguments', () => {
    const commands = [
      { name: 'find', tool: 'lookup', description: { en: 'Find', ru: 'Найти' }, argument: 'q' },
      { name: 'find', tool: 'lookup', description: 5 },
      { name: 'Find Me', tool: 'lookup', description: 'Find', argument: 'query' },
    ];
    expect(codesAt(manifest({ commands }))).toEqual([
      'BOTWIRE_MANIFEST_FIELD_TYPE /commands/1/description',
      'BOTWIRE_MANIFEST_FIELD_PATTERN /commands/2/name',
      'BOTWIRE_MANIFEST_DUPLICATE_COMMAND /commands/1/name',
      'BOTWIRE_MANIFEST_COMMAND_ARGUMENT_UNKNOWN /commands/2/argument',
    ]);
  });

  it('rejects input schemas that do not compile and invalid output and config schemas', () => {
    const value = manifest({
      tools: [
        tool({
          input_schema: { type: 'object', properties: { q: { type: 'string', pattern: '(' } } },
          output_schema: { type: 'object', required: 'text' },
        }),
      ],
      config_schema: { type: 'object', properties: { key: { $ref: '#/$defs/missing' } } },
    });
    expect(codesAt(value)).toEqual([
      'BOTWIRE_MANIFEST_INPUT_SCHEMA_INVALID /tools/0/input_schema',
      'BOTWIRE_MANIFEST_OUTPUT_SCHEMA_INVALID /tools/0/output_schema/required',
      'BOTWIRE_MANIFEST_CONFIG_SCHEMA_INVALID /config_schema',
    ]);
  });

  it('rejects an input_schema in an unsupported JSON Schema dialect', () => {
    const value = manifest({
      tools: [
        tool({
          input_schema: { $schema: 'https://json-schema.org/draft/2019-09/schema', type: 'object' },
        }),
      ],
    });
    expect(codesAt(value)).toEqual([
      'BOTWIRE_MANIFEST_INPUT_SCHEMA_INVALID /tools/0/input_schema/$schema',
    ]);
  });

  it('rejects timeouts outside 1..600000 and fractional ones', () => {
    for (const timeout_ms of [0, 600_001, 1.5]) {
      const [problem, ...rest] = validateManifest(manifest({ tools: [tool({ timeout_ms })] }));
      expect(rest).toEqual([]);
      expect(problem).toMatchObject({ path: '/tools/0/timeout_ms' });
      expect(problem!.message).toContain('from 1 to 600000');
    }
  });
});

describe('parseManifestText', () => {
  it('parses JSON', () => {
    expect(parseManifestText('{"name":"x"}')).toEqual({ value: { name: 'x' }, problems: [] });
  });

  it('reports the line and column of a JSON syntax error', () => {
    // A trailing comma, as people write it; kept inline because a broken .json file breaks the linter.
    const text = '{\n  "name": "not-json",\n  "version": "1.0.0",\n}\n';
    const { value, problems } = parseManifestText(text, 'not-json/skill.json');
    expect(value).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'BOTWIRE_MANIFEST_NOT_JSON',
      path: '',
      file: 'not-json/skill.json',
    });
    expect(problems[0]!.message).toContain('line 4, column 1');
  });

  it('locates errors whose engine message has no position', () => {
    const { problems } = parseManifestText('{\n  "name": }');
    expect(problems[0]!.message).toContain('line 2, column 11');
  });

  it('says when the file is empty', () => {
    expect(parseManifestText('  \n').problems[0]!.message).toContain('empty');
  });
});

describe('validateManifest: patterns', () => {
  it('accepts patterns whose groups are properties of their tool', () => {
    const value = manifest({
      patterns: [
        { tool: 'lookup', match: '^look up (?<q>.+)$', locale: 'en' },
        { tool: 'lookup', match: '^найди (?<q>.+)$', locale: 'ru', arguments: { q: 'x' } },
        {
          tool: 'lookup',
          match: '^schlag (?<q>.+) nach$',
          locale: 'de',
          example: 'schlag Bern nach',
        },
        { tool: 'lookup', match: '^procure (?<q>.+)$', locale: 'pt-BR' },
      ],
      commands: [
        {
          name: 'find',
          tool: 'lookup',
          argument: 'q',
          description: { en: 'Find', de: 'Finden', 'pt-BR': 'Procurar' },
        },
      ],
    });
    expect(validateManifest(value)).toEqual([]);
  });

  it('rejects a bad regular expression, an unknown tool, a group the tool does not take, a locale that is no language tag, and an example its pattern does not match', () => {
    const value = manifest({
      patterns: [
        { tool: 'lookup', match: '^look up (?<q>.+$' },
        { tool: 'search', match: '^search (?<q>.+)$' },
        { tool: 'lookup', match: '^look up (?<query>.+)$' },
        { tool: 'lookup', match: '^x$', locale: 'German' },
        { tool: 'lookup', match: '^look up (?<q>.+)$', example: 'find cats' },
      ],
    });
    expect(codesAt(value).sort()).toEqual(
      [
        'BOTWIRE_MANIFEST_PATTERN_INVALID /patterns/0/match',
        'BOTWIRE_MANIFEST_PATTERN_TOOL_UNKNOWN /patterns/1/tool',
        'BOTWIRE_MANIFEST_PATTERN_INVALID /patterns/2/match',
        'BOTWIRE_MANIFEST_FIELD_PATTERN /patterns/3/locale',
        'BOTWIRE_MANIFEST_PATTERN_INVALID /patterns/4/example',
      ].sort(),
    );
    expect(
      validateManifest(value).find((problem) => problem.path === '/patterns/2/match')?.message,
    ).toMatch(/"query"/);
  });
});
