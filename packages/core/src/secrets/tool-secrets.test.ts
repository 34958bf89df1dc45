import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BotwireError } from '../errors/botwire-error';
import { createLogger } from '../logging/logger';
import { Redactor } from '../logging/redact';
import { createBot } from '../runtime/bot';
import { defineSkill, type ToolContext } from '../skills/define-skill';
import type { Permission } from '../skills/skill-manifest';
import { loadSkills } from '../skills/skill-registry';
import { memoryStorage } from '../storage/drivers/memory';
import { KeyRing } from './key-ring';
import { SecretStore } from './secret-store';
import { toolSecrets } from './tool-secrets';

/** An inline skill whose tool `vault` sets, reads or lists its secrets. */
function vaultSkill(declared: Permission[], granted: Permission[] = declared) {
  return {
    use: {
      manifest: {
        name: 'vault',
        version: '1.0.0',
        description: 'Keeps a token.',
        tools: [
          {
            name: 'vault',
            description: 'Sets, reads or lists secrets.',
            input_schema: {
              type: 'object',
              properties: {
                action: { type: 'string', enum: ['set', 'get', 'list', 'log'] },
                value: { type: 'string' },
              },
              required: ['action'],
            },
            permissions: declared,
            side_effects: true,
            timeout_ms: 5000,
          },
        ],
      },
      definition: defineSkill({
        tools: {
          vault: async (
            { action, value }: { action: string; value?: string },
            context: ToolContext,
          ) => {
            if (action === 'set') return context.secrets.set('token', value ?? '');
            if (action === 'list') return context.secrets.list();
            const token = await context.secrets.get('token');
            if (action === 'log') context.log.warn('using-token', { text: `token is ${token}` });
            return { found: token !== undefined, length: token?.length ?? 0 };
          },
        },
      }),
    },
    permissions: granted,
  };
}

async function rejection(promise: Promise<unknown>): Promise<BotwireError> {
  try {
    await promise;
  } catch (error) {
    return error as BotwireError;
  }
  throw new Error('expected a rejection');
}

const keyRing = () =>
  new KeyRing({ keys: [{ id: 'k1', key: randomBytes(32) }], activeKeyId: 'k1' });

describe('context.secrets', () => {
  it('is refused without the secrets permission', async () => {
    const storage = memoryStorage();
    await storage.open();
    const secrets = new SecretStore({ kv: storage.kv, keyRing });
    const registry = await loadSkills([vaultSkill(['storage'])], { baseDir: '.' });
    const error = await rejection(registry.callTool('vault', { action: 'get' }, { secrets }));
    expect(error.code).toBe('BOTWIRE_CAPABILITY_NOT_DECLARED');
    expect(error.message).toContain('context.secrets without the "secrets" permission');
    await storage.close();
  });

  it('says so when callTool got no secret store', async () => {
    const registry = await loadSkills([vaultSkill(['secrets'])], { baseDir: '.' });
    const error = await rejection(registry.callTool('vault', { action: 'get' }));
    expect(error.code).toBe('BOTWIRE_INVALID_ARGUMENT');
    expect(error.message).toContain('no secret store (options.secrets)');
  });

  it("is the user's scope for a user and the bot's without one", async () => {
    const storage = memoryStorage();
    await storage.open();
    const secrets = new SecretStore({ kv: storage.kv, keyRing: keyRing() });
    const registry = await loadSkills([vaultSkill(['secrets'])], { baseDir: '.' });
    const user = await storage.users.resolve({ platform: 'test', platformId: '1' });
    await registry.callTool('vault', { action: 'set', value: 'users-token-1' }, { secrets, user });
    await registry.callTool('vault', { action: 'set', value: 'bot-token-22' }, { secrets });
    expect((await secrets.list()).map(({ skill, user }) => ({ skill, user }))).toEqual([
      { skill: 'vault' },
      { skill: 'vault', user: user.id },
    ]);
    expect(await secrets.get({ skill: 'vault', user: user.id }, 'token')).toBe('users-token-1');
    const other = await storage.users.resolve({ platform: 'test', platformId: '2' });
    // Another user has no value of their own: the bot-wide one of the skill.
    expect(await registry.callTool('vault', { action: 'get' }, { secrets, user: other })).toEqual({
      found: true,
      length: 'bot-token-22'.length,
    });
    await storage.close();
  });
});

describe('the bot and its secrets', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'botwire-bot-secrets-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('makes its key file only when a secret is used, and hides secrets from its log', async () => {
    const lines: string[] = [];
    const redactor = new Redactor();
    const logged = createBot({
      config: { storage: 'memory', skills: [vaultSkill(['secrets'])] },
      dataDir,
      env: {},
      redactor,
      log: createLogger({
        level: 'debug',
        format: 'json',
        write: (line) => lines.push(line),
        redactor,
      }),
    });
    await logged.init();
    const keyFile = join(dataDir, 'secret-keys');
    const { user } = await logged.operator();
    expect(await logged.callTool('vault', { action: 'get' }, { user })).toEqual({
      found: false,
      length: 0,
    });
    expect(existsSync(keyFile)).toBe(false);

    await logged.secrets.set({ skill: '*' }, 'token', 'operator-set-value');
    expect(existsSync(keyFile)).toBe(true);
    expect(lines.some((line) => line.includes('secret-key-generated'))).toBe(true);
    await logged.callTool('vault', { action: 'set', value: 'users-own-value' }, { user });
    await logged.callTool('vault', { action: 'log' }, { user });
    const text = lines.join('\n');
    expect(text).toContain('token is [redacted]');
    expect(text).not.toContain('users-own-value');
    expect(text).not.toContain('operator-set-value');
    await logged.stop();
  });
});

describe('toolSecrets', () => {
  it("gives a tool its user's secrets, falling back to the skill's bot-wide and then every skill's", async () => {
    const storage = memoryStorage();
    await storage.open();
    const secrets = new SecretStore({ kv: storage.kv, keyRing: keyRing() });
    await secrets.set({ skill: '*' }, 'shared', 'every-skill-value');
    await secrets.set({ skill: '*' }, 'token', 'every-skill-token');
    await secrets.set({ skill: 'github' }, 'token', 'github-bot-token');
    await secrets.set({ skill: 'gitlab' }, 'only_gitlab', 'gitlab-bot-value');

    const forAlice = toolSecrets(secrets, 'github', 'usr_alice');
    expect(await forAlice.get('token')).toBe('github-bot-token');
    expect(await forAlice.get('shared')).toBe('every-skill-value');
    expect(await forAlice.get('only_gitlab')).toBeUndefined();
    await forAlice.set('token', 'alice-own-token');
    expect(await forAlice.get('token')).toBe('alice-own-token');
    expect(await toolSecrets(secrets, 'github', 'usr_bob').get('token')).toBe('github-bot-token');
    expect(await forAlice.list()).toEqual(['shared', 'token']);

    // Deleting removes only the user's own value; the fallbacks stay.
    expect(await forAlice.delete('token')).toBe(true);
    expect(await forAlice.get('token')).toBe('github-bot-token');
    expect(await forAlice.delete('shared')).toBe(false);

    const forBot = toolSecrets(secrets, 'github');
    expect(await forBot.get('token')).toBe('github-bot-token');
    await forBot.set('webhook', 'bot-webhook-value');
    expect(await secrets.get({ skill: 'github' }, 'webhook')).toBe('bot-webhook-value');
    expect(await secrets.get({ skill: 'github', user: 'usr_alice' }, 'webhook')).toBeUndefined();
    await storage.close();
  });
});
