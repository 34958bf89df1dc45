import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BotwireError, isBotwireError } from '../errors/botwire-error';
import type { Logger } from '../logging/logger';
import { memoryStorage } from '../storage/drivers/memory';
import { defineSkill, type SkillDefinition, type ToolContext } from './define-skill';
import type { SkillManifest, ToolManifest } from './skill-manifest';
import { loadSkills, type SkillSource } from './skill-registry';

const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url));

const tool = (name: string, overrides: Partial<ToolManifest> = {}): ToolManifest => ({
  name,
  description: `The ${name} tool.`,
  input_schema: { type: 'object' },
  permissions: [],
  side_effects: false,
  timeout_ms: 1000,
  ...overrides,
});

const inline = (
  manifest: Partial<SkillManifest> & { tools: ToolManifest[] },
  tools: SkillDefinition['tools'],
  extra: Omit<Exclude<SkillSource, string>, 'use'> = {},
): SkillSource => ({
  use: {
    manifest: {
      name: 'inline',
      version: '1.0.0',
      description: 'An inline test skill.',
      ...manifest,
    },
    definition: defineSkill({ tools }),
  },
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<BotwireError> {
  try {
    await promise;
  } catch (error) {
    if (isBotwireError(error)) return error;
    throw error;
  }
  throw new Error('expected the promise to reject');
}

function recordingLogger(lines: string[]): Logger {
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (message) => lines.push(message),
    error: (message) => lines.push(message),
    child: () => logger,
  };
  return logger;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('loadSkills', () => {
  it('loads skills from paths, packages and inline definitions', async () => {
    const registry = await loadSkills(
      [
        { use: './valid', permissions: ['storage'], config: {} },
        '../fixtures/package-bot/node_modules/@acme/skill-greet',
        inline({ tools: [tool('inline_tool')] }, { inline_tool: () => 'ok' }),
      ],
      { baseDir: fixtures },
    );
    expect(registry.skills.map((skill) => skill.manifest.name)).toEqual([
      'fixture-notes',
      'greet',
      'inline',
    ]);
    expect(registry.skills[0]).toMatchObject({
      source: './valid',
      root: join(fixtures, 'valid'),
      manifestPath: join(fixtures, 'valid', 'skill.json'),
      grantedPermissions: ['storage'],
      config: { greeting: 'You said' },
    });
    expect(registry.listTools().map((item) => item.name)).toEqual([
      'echo',
      'save_note',
      'fetch_page',
      'greet',
      'inline_tool',
    ]);
    expect(registry.getTool('fetch_page')?.missingPermissions).toEqual(['network']);
    expect(registry.getTool('nope')).toBeUndefined();
    expect(registry.listCommands().map((item) => `${item.name}->${item.tool.name}`)).toEqual([
      'echo->echo',
      'note->save_note',
    ]);
    expect(registry.getCommand('echo')).toMatchObject({
      skill: { manifest: { name: 'fixture-notes' } },
      command: { argument: 'text' },
    });
  });

  it('resolves package names from the base directory', async () => {
    const registry = await loadSkills(['@acme/skill-greet', 'skill-hidden'], {
      baseDir: join(fixtures, 'package-bot'),
    });
    expect(await registry.callTool('greet', { name: 'Ann' })).toEqual({ text: 'Hello, Ann!' });
    expect(await registry.callTool('whisper', { text: 'QUIET' })).toEqual({ text: 'quiet' });
  });

  it('collects every problem of every skill before refusing to start', async () => {
    const error = await rejection(
      loadSkills(
        ['./invalid/bad-version', './invalid/unknown-permission', './handler-missing', './nowhere'],
        {
          baseDir: fixtures,
        },
      ),
    );
    expect(error.code).toBe('BOTWIRE_SKILLS_INVALID');
    const found = error.problems.map((problem) => `${problem.code} ${problem.path}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'BOTWIRE_MANIFEST_FIELD_PATTERN /version',
        'BOTWIRE_MANIFEST_FIELD_ENUM /tools/0/permissions/1',
        'BOTWIRE_SKILL_HANDLER_MISSING /tools/1',
        'BOTWIRE_SKILL_HANDLER_EXTRA /tools',
        'BOTWIRE_SKILL_NOT_FOUND ',
      ]),
    );
    const files = new Set(error.problems.map((problem) => problem.file));
    expect(files).toEqual(
      new Set([
        join(fixtures, 'invalid/bad-version/skill.json'),
        join(fixtures, 'invalid/unknown-permission/skill.json'),
        join(fixtures, 'handler-missing/skill.json'),
        './nowhere',
      ]),
    );
    expect(error.describe()).toContain(
      'handler-missing/skill.json /tools/1: tool "second" has no handler',
    );
  });

  it('checks a skill whose module is broken against the others too', async () => {
    const error = await rejection(
      loadSkills(['./handler-missing', inline({ tools: [tool('first')] }, { first: () => 1 })], {
        baseDir: fixtures,
      }),
    );
    expect(error.problems.map((problem) => problem.code)).toEqual([
      'BOTWIRE_SKILL_HANDLER_MISSING',
      'BOTWIRE_SKILL_HANDLER_EXTRA',
      'BOTWIRE_SKILL_TOOL_NAME_TAKEN',
    ]);
  });

  it('refuses a tool name that another skill already has', async () => {
    const error = await rejection(
      loadSkills(
        [
          './valid',
          inline({ tools: [tool('other'), tool('echo')] }, { other: () => 1, echo: () => 2 }),
        ],
        {
          baseDir: fixtures,
        },
      ),
    );
    expect(error.problems).toEqual([
      expect.objectContaining({
        code: 'BOTWIRE_SKILL_TOOL_NAME_TAKEN',
        path: '/tools/1/name',
        file: 'inline:inline',
        message: expect.stringContaining(
          'tool "echo" is already provided by skill "fixture-notes"',
        ),
      }),
    ]);
  });

  it('refuses a duplicate skill name, a taken command and a reserved command', async () => {
    const commandSkill = (name: string, command: string) =>
      inline(
        {
          name,
          tools: [tool(`${name}_tool`)],
          commands: [{ name: command, tool: `${name}_tool`, description: 'A command' }],
        },
        { [`${name}_tool`]: () => null },
      );
    const error = await rejection(
      loadSkills(
        [
          commandSkill('first', 'go'),
          commandSkill('second', 'go'),
          commandSkill('third', 'help'),
          commandSkill('first', 'x'),
        ],
        {
          baseDir: fixtures,
          reservedCommands: ['help', 'start'],
        },
      ),
    );
    expect(
      error.problems.map((problem) => `${problem.code} ${problem.path} ${problem.file}`),
    ).toEqual([
      'BOTWIRE_SKILL_COMMAND_TAKEN /commands/0/name inline:second',
      'BOTWIRE_SKILL_COMMAND_TAKEN /commands/0/name inline:third',
      'BOTWIRE_SKILL_DUPLICATE_NAME /name inline:first',
    ]);
    expect(error.problems[1]!.message).toContain('reserved by the runtime');
  });

  it('checks each skill config against its config_schema', async () => {
    const error = await rejection(
      loadSkills([{ use: './valid', config: { greeting: 5, colour: 'red' } }], {
        baseDir: fixtures,
      }),
    );
    expect(error.problems.map((problem) => `${problem.code} ${problem.path}`)).toEqual([
      'BOTWIRE_SKILL_CONFIG_INVALID skills[0].config.colour',
      'BOTWIRE_SKILL_CONFIG_INVALID skills[0].config.greeting',
    ]);
    expect(error.problems[1]!.message).toContain('greeting must be a string, got 5');
  });

  it('requires the environment variables in requires.env', async () => {
    const source = inline(
      { tools: [tool('needs_key')], requires: { env: ['FIXTURE_API_KEY'] } },
      { needs_key: () => 1 },
    );
    const error = await rejection(loadSkills([source], { baseDir: fixtures, env: {} }));
    expect(error.problems).toEqual([
      expect.objectContaining({
        code: 'BOTWIRE_SKILL_ENV_MISSING',
        path: '/requires/env/0',
        message: expect.stringContaining('FIXTURE_API_KEY'),
      }),
    ]);
    await expect(
      loadSkills([source], { baseDir: fixtures, env: { FIXTURE_API_KEY: 'set' } }),
    ).resolves.toBeDefined();
  });

  it('refuses an unknown permission in the config and only warns about a granted but undeclared one', async () => {
    const error = await rejection(
      loadSkills([{ use: './valid', permissions: ['storage', 'internet' as never] }], {
        baseDir: fixtures,
      }),
    );
    expect(error.problems).toEqual([
      expect.objectContaining({
        code: 'BOTWIRE_CONFIG_FIELD_INVALID',
        path: 'skills[0].permissions[1]',
      }),
    ]);

    const lines: string[] = [];
    const registry = await loadSkills(
      [{ use: './valid', permissions: ['storage', 'network', 'secrets'] }],
      {
        baseDir: fixtures,
        log: recordingLogger(lines),
      },
    );
    expect(registry.skills[0]!.grantedPermissions).toEqual(['storage', 'network', 'secrets']);
    expect(lines).toEqual([
      expect.stringContaining('is granted secrets, which none of its tools declares'),
    ]);
  });
});

describe('SkillRegistry.callTool', () => {
  it('runs a handler with validated arguments, defaults, config and strings', async () => {
    const registry = await loadSkills([{ use: './valid', config: { greeting: 'Вы сказали' } }], {
      baseDir: fixtures,
    });
    expect(await registry.callTool('echo', { text: 'hi' })).toEqual({ text: 'Вы сказали: hi' });
    expect(await registry.callTool('echo', { text: 'ab', times: 2 }, { locale: 'ru' })).toEqual({
      text: 'Вы сказали: abab',
    });
  });

  it('refuses an unknown tool and suggests close names', async () => {
    const registry = await loadSkills(['./valid'], { baseDir: fixtures });
    const error = await rejection(registry.callTool('save_notes', {}));
    expect(error.code).toBe('BOTWIRE_TOOL_NOT_FOUND');
    expect(error.message).toContain('Did you mean "save_note"?');
  });

  it('refuses a tool whose permission the config does not grant, and says how to grant it', async () => {
    let entered = false;
    const registry = await loadSkills(
      [
        inline(
          {
            name: 'web-search',
            tools: [tool('web_search', { permissions: ['network', 'storage'] })],
          },
          {
            web_search: () => {
              entered = true;
            },
          },
          { permissions: ['storage'] },
        ),
        './valid',
      ],
      { baseDir: fixtures },
    );
    const error = await rejection(registry.callTool('web_search', {}));
    expect(error.code).toBe('BOTWIRE_TOOL_PERMISSION_DENIED');
    expect(error.message).toContain(
      'Tool "web_search" of skill "web-search" needs the permission "network"',
    );
    expect(error.message).toContain(
      'grant it in botwire.config: skills: [{ use: <inline skill>, permissions: ["storage", "network"] }]',
    );
    expect(entered).toBe(false);

    const fromPath = await rejection(
      registry.callTool('fetch_page', { url: 'https://example.com' }),
    );
    expect(fromPath.message).toContain('skills: [{ use: "./valid", permissions: ["network"] }]');
  });

  it('never enters the handler when the arguments break the input_schema', async () => {
    const handler = vi.fn(() => 'ran');
    const registry = await loadSkills(
      [
        inline(
          {
            tools: [
              tool('strict_tool', {
                input_schema: {
                  type: 'object',
                  properties: {
                    query: { type: 'string', description: 'What to look for.' },
                    limit: { type: 'integer', maximum: 10 },
                  },
                  required: ['query'],
                  additionalProperties: false,
                },
              }),
            ],
          },
          { strict_tool: handler },
        ),
      ],
      { baseDir: fixtures },
    );
    for (const args of [
      {},
      { query: 5 },
      { query: 'x', limit: 11 },
      { query: 'x', extra: true },
      'text',
      null,
    ]) {
      const error = await rejection(registry.callTool('strict_tool', args));
      expect(error.code).toBe('BOTWIRE_TOOL_ARGUMENTS_INVALID');
      expect(error.problems.length).toBeGreaterThan(0);
      for (const problem of error.problems) expect(problem.code).toBe('BOTWIRE_ARGUMENT_INVALID');
    }
    expect(handler).not.toHaveBeenCalled();

    const error = await rejection(registry.callTool('strict_tool', { limit: 'ten' }));
    expect(error.problems).toEqual([
      {
        path: '/query',
        code: 'BOTWIRE_ARGUMENT_INVALID',
        message: 'query is missing: what to look for.',
      },
      {
        path: '/limit',
        code: 'BOTWIRE_ARGUMENT_INVALID',
        message: 'limit must be an integer, got "ten"',
      },
    ]);
    expect(await registry.callTool('strict_tool', { query: 'ok' })).toBe('ran');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('rejects with BOTWIRE_TOOL_TIMEOUT at timeout_ms even when the handler ignores its signal', async () => {
    let signal: AbortSignal | undefined;
    const registry = await loadSkills(
      [
        inline(
          { tools: [tool('stubborn', { timeout_ms: 50 })] },
          {
            stubborn: (_input: unknown, context: ToolContext) => {
              signal = context.signal;
              return new Promise(() => {});
            },
          },
        ),
      ],
      { baseDir: fixtures },
    );
    const started = Date.now();
    const error = await rejection(registry.callTool('stubborn', {}));
    expect(error.code).toBe('BOTWIRE_TOOL_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(error);
  });

  it("aborts the handler's signal when the caller aborts", async () => {
    const registry = await loadSkills(
      [
        inline(
          { tools: [tool('waits', { timeout_ms: 60_000 })] },
          {
            waits: (_input: unknown, context: ToolContext) =>
              new Promise((_resolve, reject) =>
                context.signal.addEventListener('abort', () => reject(context.signal.reason)),
              ),
          },
        ),
      ],
      { baseDir: fixtures },
    );
    const controller = new AbortController();
    const call = registry.callTool('waits', {}, { signal: controller.signal });
    const reason = new Error('user gave up');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
  });

  it('wraps handler errors as BOTWIRE_TOOL_FAILED with the cause, and passes Botwire errors through', async () => {
    const cause = new Error('disk on fire');
    const registry = await loadSkills(
      [
        inline(
          { tools: [tool('breaks'), tool('refuses')] },
          {
            breaks: () => {
              throw cause;
            },
            refuses: () => {
              throw new BotwireError('BOTWIRE_ACCESS_DENIED');
            },
          },
        ),
      ],
      { baseDir: fixtures },
    );
    const error = await rejection(registry.callTool('breaks', {}));
    expect(error.code).toBe('BOTWIRE_TOOL_FAILED');
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('disk on fire');
    expect((await rejection(registry.callTool('refuses', {}))).code).toBe('BOTWIRE_ACCESS_DENIED');
  });

  it('gives context.storage only to tools that declare storage and are granted it', async () => {
    const storage = memoryStorage();
    await storage.open();
    const seen: Record<string, unknown> = {};
    const probe = (name: string) => async (_input: unknown, context: ToolContext) => {
      try {
        await context.storage.set('probe', name);
        seen[name] = await context.storage.get('probe');
      } catch (error) {
        seen[name] = isBotwireError(error) ? error.code : error;
      }
      return null;
    };
    const registry = await loadSkills(
      [
        inline(
          {
            name: 'keeper',
            tools: [tool('with_storage', { permissions: ['storage'] }), tool('without_storage')],
          },
          { with_storage: probe('with_storage'), without_storage: probe('without_storage') },
          { permissions: ['storage'] },
        ),
        { use: './valid', permissions: [] },
      ],
      { baseDir: fixtures },
    );
    await registry.callTool('with_storage', {}, { storage });
    await registry.callTool('without_storage', {}, { storage });
    expect(seen).toEqual({
      with_storage: 'with_storage',
      without_storage: 'BOTWIRE_CAPABILITY_NOT_DECLARED',
    });
    expect(await storage.kv.get('skill:keeper', 'probe')).toBe('with_storage');

    // Declared but not granted: the call is refused before the handler could reach storage.
    const denied = await rejection(
      registry.callTool('save_note', { title: 't', body: 'b' }, { storage }),
    );
    expect(denied.code).toBe('BOTWIRE_TOOL_PERMISSION_DENIED');
    expect(await storage.kv.list('skill:fixture-notes')).toEqual([]);
    await storage.close();
  });

  it('tells the skill author to declare storage when an undeclared tool reads it', async () => {
    let message = '';
    const registry = await loadSkills(
      [
        inline(
          { tools: [tool('sneaky')] },
          {
            sneaky: (_input: unknown, context: ToolContext) => {
              try {
                void context.storage;
              } catch (error) {
                message = (error as Error).message;
              }
            },
          },
        ),
      ],
      { baseDir: fixtures },
    );
    await registry.callTool('sneaky', {});
    expect(message).toContain('Declare "storage" in the tool\'s permissions in skill.json');
  });

  it('checks results against output_schema', async () => {
    let result: unknown = { text: 'fine' };
    const registry = await loadSkills(
      [
        inline(
          {
            tools: [
              tool('shaped', {
                output_schema: {
                  type: 'object',
                  properties: { text: { type: 'string' } },
                  required: ['text'],
                },
              }),
            ],
          },
          { shaped: () => result },
        ),
      ],
      { baseDir: fixtures },
    );
    expect(await registry.callTool('shaped', {})).toEqual({ text: 'fine' });
    result = { text: 42 };
    const error = await rejection(registry.callTool('shaped', {}));
    expect(error.code).toBe('BOTWIRE_TOOL_OUTPUT_INVALID');
    expect(error.problems).toEqual([
      { path: '/text', code: 'BOTWIRE_OUTPUT_INVALID', message: 'text must be a string, got 42' },
    ]);
  });

  it('stores a skill with storage through the fixture handler', async () => {
    const storage = memoryStorage();
    await storage.open();
    const registry = await loadSkills([{ use: './valid', permissions: ['storage'] }], {
      baseDir: fixtures,
    });
    expect(
      await registry.callTool(
        'save_note',
        { title: 'milk', body: '2 litres' },
        { storage, locale: 'ru' },
      ),
    ).toEqual({
      text: 'Сохранил «milk»',
    });
    expect(await storage.kv.get('skill:fixture-notes', 'milk')).toBe('2 litres');
    await storage.close();
  });
});
