import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../config/validate-config';
import { createBot } from '../runtime/bot';
import { defineSkill, type ToolContext } from '../skills/define-skill';
import type { Permission } from '../skills/skill-manifest';
import { loadSkills } from '../skills/skill-registry';
import { closeEgressDispatcher } from './egress-fetch';
import { EgressPolicy } from './egress-policy';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((_request, response) => response.end('from loopback'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** An inline skill whose tools read `context.fetch` or `context.egress`, declaring `declared`. */
function probeSkill(declared: Permission[], granted: Permission[]) {
  const input = {
    type: 'object',
    properties: { url: { type: 'string' } },
    required: ['url'],
  } as const;
  const tool = (name: string) => ({
    name,
    description: `The ${name} probe.`,
    input_schema: input,
    permissions: declared,
    side_effects: false,
    timeout_ms: 5000,
  });
  return {
    use: {
      manifest: {
        name: 'probe',
        version: '1.0.0',
        description: 'Reads the network capabilities.',
        tools: [tool('probe_fetch'), tool('probe_egress')],
      },
      definition: defineSkill({
        tools: {
          probe_fetch: async ({ url }: { url: string }, context: ToolContext) => {
            const response = await context.fetch(url);
            return { text: new TextDecoder().decode(response.body) };
          },
          probe_egress: ({ url }: { url: string }, context: ToolContext) =>
            context.egress.checkUrl(url),
        },
      }),
    },
    permissions: granted,
  };
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

describe('context.fetch and context.egress', () => {
  it('fetch goes through the policy the caller passes', async () => {
    const registry = await loadSkills([probeSkill(['network'], ['network'])], { baseDir: '.' });
    const egress = new EgressPolicy({ allow: ['127.0.0.1'] });
    try {
      expect(await registry.callTool('probe_fetch', { url: `${base}/` }, { egress })).toEqual({
        text: 'from loopback',
      });
      const blocked = await rejection(
        registry.callTool('probe_fetch', { url: 'http://169.254.169.254/' }, { egress }),
      );
      expect(blocked.code).toBe('BOTWIRE_EGRESS_BLOCKED');
      // Without a policy the defaults apply: loopback is blocked.
      const loopback = await rejection(registry.callTool('probe_fetch', { url: `${base}/` }));
      expect(loopback.code).toBe('BOTWIRE_EGRESS_BLOCKED');
    } finally {
      await closeEgressDispatcher(egress);
    }
  });

  it('network also gives context.egress', async () => {
    const registry = await loadSkills([probeSkill(['network'], ['network'])], { baseDir: '.' });
    const egress = new EgressPolicy({ deny: ['bad.example'] });
    expect(
      await registry.callTool('probe_egress', { url: 'http://bad.example/' }, { egress }),
    ).toMatchObject({ allowed: false, rule: 'deny-list' });
  });

  it('browser gives context.egress but not context.fetch', async () => {
    const registry = await loadSkills([probeSkill(['browser'], ['browser'])], { baseDir: '.' });
    expect(await registry.callTool('probe_egress', { url: 'http://10.0.0.1/' })).toMatchObject({
      allowed: false,
      rule: 'private',
    });
    const error = await rejection(registry.callTool('probe_fetch', { url: `${base}/` }));
    expect(error.code).toBe('BOTWIRE_CAPABILITY_NOT_DECLARED');
    expect(error.message).toContain('context.fetch without the "network" permission');
  });

  it('neither without a network permission', async () => {
    const registry = await loadSkills([probeSkill(['storage'], ['storage'])], { baseDir: '.' });
    const fetchError = await rejection(registry.callTool('probe_fetch', { url: `${base}/` }));
    expect(fetchError.code).toBe('BOTWIRE_CAPABILITY_NOT_DECLARED');
    const egressError = await rejection(registry.callTool('probe_egress', { url: `${base}/` }));
    expect(egressError.code).toBe('BOTWIRE_CAPABILITY_NOT_DECLARED');
    expect(egressError.message).toContain('"network" or "browser"');
  });
});

describe('the bot and its egress config', () => {
  it('builds one policy from config.egress and BOTWIRE_EGRESS_ALLOW, and uses it in callTool', async () => {
    const bot = createBot({
      config: {
        storage: 'memory',
        egress: { deny: ['bad.example'], maxRedirects: 2 },
        skills: [probeSkill(['network'], ['network'])],
      },
      env: { BOTWIRE_EGRESS_ALLOW: '127.0.0.1' },
      adapters: [],
    });
    await bot.init();
    try {
      expect(bot.egress).toBe(bot.egress);
      expect(bot.egress.config).toMatchObject({
        allow: ['127.0.0.1'],
        deny: ['bad.example'],
        maxRedirects: 2,
      });
      expect(await bot.callTool('probe_fetch', { url: `${base}/` })).toEqual({
        text: 'from loopback',
      });
    } finally {
      await bot.stop();
    }
  });

  it('validateConfig reports bad egress fields', () => {
    const problems = validateConfig({ egress: { allow: ['10.0.0.0/99'], ports: 'all' } });
    expect(problems.map((problem) => problem.path)).toEqual(['egress.allow[0]', 'egress.ports']);
    expect(validateConfig({ egress: { allow: ['127.0.0.1'] } })).toEqual([]);
  });
});
