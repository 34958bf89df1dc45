import { describe, expect, it } from 'vitest';
import { isBotwireError } from '../errors/botwire-error';
import type { Logger } from '../logging/logger';
import { memoryStorage } from '../storage/drivers/memory';
import type { SkillDefinition } from './define-skill';
import type { DynamicTool } from './dynamic-tools';
import type { ToolManifest } from './skill-manifest';
import { loadSkills } from './skill-registry';

const callManifest: ToolManifest = {
  name: 'api_call',
  description: 'Calls an operation of a connected API.',
  input_schema: {
    type: 'object',
    properties: {
      api: { type: 'string' },
      operation: { type: 'string' },
      arguments: { type: 'object' },
    },
    required: ['api', 'operation'],
    additionalProperties: false,
  },
  permissions: ['storage'],
  side_effects: true,
  timeout_ms: 1000,
};

const getPet: DynamicTool = {
  name: 'pets_get_pet',
  description: 'Pets: one pet by id.',
  input_schema: {
    type: 'object',
    properties: { petId: { type: 'integer', minimum: 1 } },
    required: ['petId'],
    additionalProperties: false,
  },
  via: { tool: 'api_call', arguments: { api: 'pets', operation: 'get_pet' }, input: 'arguments' },
  side_effects: false,
};

function recordingLogger(lines: string[]): Logger {
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (message, fields) => lines.push(`${message} ${JSON.stringify(fields ?? {})}`),
    error: (message) => lines.push(message),
    child: () => logger,
  };
  return logger;
}

async function registryWith(dynamicTools: SkillDefinition['dynamicTools'], lines: string[] = []) {
  const calls: unknown[] = [];
  const registry = await loadSkills(
    [
      {
        use: {
          manifest: {
            name: 'apis',
            version: '1.0.0',
            description: 'Connected APIs.',
            tools: [callManifest],
            dynamic_tools: true,
          },
          definition: {
            tools: {
              api_call: (input: unknown) => {
                calls.push(input);
                return { called: input };
              },
            },
            ...(dynamicTools ? { dynamicTools } : {}),
          },
        },
        permissions: ['storage'],
      },
    ],
    { baseDir: process.cwd(), log: recordingLogger(lines) },
  );
  return { registry, calls };
}

describe('tools a skill makes for a user', () => {
  it('are listed beside the declared ones, checked against their own schema, and run as the declared tool', async () => {
    const seenUsers: Array<string | undefined> = [];
    const { registry, calls } = await registryWith((context) => {
      seenUsers.push(context.user?.id);
      return [getPet];
    });
    expect(registry.makesTools).toBe(true);
    expect(registry.getTool('pets_get_pet')).toBeUndefined();
    const storage = memoryStorage();
    await storage.open();
    const user = await storage.users.resolve({ platform: 'test', platformId: 'ann' }, {});
    const view = await registry.withToolsFor({ user, storage });
    expect(seenUsers).toEqual([user.id]);
    const tool = view.getTool('pets_get_pet');
    expect(tool?.manifest.side_effects).toBe(false);
    expect(tool?.manifest.permissions).toEqual(['storage']);
    expect(tool?.dynamic?.via.tool).toBe('api_call');
    expect(view.listTools().map((item) => item.name)).toEqual(['api_call', 'pets_get_pet']);
    // Wrong arguments are refused before the declared tool runs.
    let refused: unknown;
    try {
      view.checkArguments('pets_get_pet', { petId: 'seven' });
    } catch (error) {
      refused = error;
    }
    expect(isBotwireError(refused) && refused.code).toBe('BOTWIRE_TOOL_ARGUMENTS_INVALID');
    await expect(view.callTool('pets_get_pet', { petId: 0 }, { user, storage })).rejects.toThrow(
      /input_schema/,
    );
    expect(calls).toEqual([]);
    expect(view.resolveCall('pets_get_pet', { petId: 7 })).toEqual({
      tool: 'api_call',
      args: { api: 'pets', operation: 'get_pet', arguments: { petId: 7 } },
    });
    expect(await view.callTool('pets_get_pet', { petId: 7 }, { user, storage })).toEqual({
      called: { api: 'pets', operation: 'get_pet', arguments: { petId: 7 } },
    });
    // The bot's own registry is unchanged.
    expect(registry.listTools().map((item) => item.name)).toEqual(['api_call']);
  });

  it('leaves out tools of a wrong shape, that clash with a name, or that run another skill’s tool', async () => {
    const lines: string[] = [];
    const { registry } = await registryWith(
      () =>
        [
          getPet,
          { ...getPet, name: 'Bad Name' },
          { ...getPet, name: 'api_call' },
          { ...getPet, name: 'pets_elsewhere', via: { ...getPet.via, tool: 'web_fetch' } },
          { ...getPet, name: 'pets_no_schema', input_schema: { type: 'string' } },
          { ...getPet, name: 'pets_broken_schema', input_schema: { type: 'object', required: 3 } },
          getPet,
        ] as DynamicTool[],
      lines,
    );
    const view = await registry.withToolsFor({});
    expect(view.listTools().map((item) => item.name)).toEqual(['api_call', 'pets_get_pet']);
    expect(lines.filter((line) => line.startsWith('dynamic-tool-left-out'))).toHaveLength(6);
  });

  it('keeps the declared tools when the skill fails to make its tools', async () => {
    const lines: string[] = [];
    const { registry } = await registryWith(() => {
      throw new Error('store unavailable');
    }, lines);
    const view = await registry.withToolsFor({});
    expect(view.listTools().map((item) => item.name)).toEqual(['api_call']);
    expect(lines.some((line) => line.startsWith('dynamic-tools-failed'))).toBe(true);
  });
});
