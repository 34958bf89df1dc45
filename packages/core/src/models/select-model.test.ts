import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBotwireError } from '../errors/botwire-error';
import {
  createChatModelFromSpec,
  createEmbeddingModelFromSpec,
  parseModelSpec,
} from './select-model';

/** A bot folder with a fake `@botwire/model-openai` whose factory echoes what it was given. */
let rootDir: string;
let emptyDir: string;

beforeAll(() => {
  rootDir = mkdtempSync(join(tmpdir(), 'botwire-select-model-'));
  emptyDir = mkdtempSync(join(tmpdir(), 'botwire-select-model-empty-'));
  const driver = join(rootDir, 'node_modules', '@botwire', 'model-openai');
  mkdirSync(driver, { recursive: true });
  writeFileSync(
    join(driver, 'package.json'),
    JSON.stringify({
      name: '@botwire/model-openai',
      type: 'module',
      exports: { '.': './index.js' },
    }),
  );
  writeFileSync(
    join(driver, 'index.js'),
    `export default function createModel({ kind, model, env }) {
      if (kind === 'embeddings') return { provider: 'openai', model, embed: async (texts) => ({ vectors: texts.map(() => [1]) }) };
      return { provider: 'openai', model, chat: async () => ({ text: env.OPENAI_BASE_URL ?? 'no url', toolCalls: [], usage: { inputTokens: 1, outputTokens: 1 }, model }) };
    }`,
  );
  const broken = join(rootDir, 'node_modules', '@botwire', 'model-ollama');
  mkdirSync(broken, { recursive: true });
  writeFileSync(
    join(broken, 'package.json'),
    JSON.stringify({ name: '@botwire/model-ollama', type: 'module', exports: './index.js' }),
  );
  writeFileSync(join(broken, 'index.js'), 'export const nothing = 1;');
});

afterAll(() => {
  rmSync(rootDir, { recursive: true, force: true });
  rmSync(emptyDir, { recursive: true, force: true });
});

const caught = async (action: () => unknown) => {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('parseModelSpec', () => {
  it('parses provider:model, keeping colons of the model', () => {
    expect(parseModelSpec('openai:gpt-4o-mini')).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
    });
    expect(parseModelSpec(' Ollama:llama3.2:3b ')).toEqual({
      provider: 'ollama',
      model: 'llama3.2:3b',
    });
  });

  it('gives undefined for none or nothing', () => {
    for (const spec of ['none', 'NONE', '', '  ', undefined, null])
      expect(parseModelSpec(spec)).toBeUndefined();
  });

  it('rejects malformed specs and unknown providers with BOTWIRE_CONFIG_INVALID', async () => {
    for (const [spec, words] of [
      ['gpt-4o', 'names no provider'],
      ['openai:', 'names no model'],
      ['claude:opus', 'unknown'],
    ] as const) {
      const error = await caught(() => parseModelSpec(spec, 'BOTWIRE_MODEL'));
      expect(isBotwireError(error, 'BOTWIRE_CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toContain(words);
      expect(error).toMatchObject({
        problems: [{ path: 'BOTWIRE_MODEL', code: 'BOTWIRE_CONFIG_FIELD_INVALID' }],
      });
    }
  });
});

describe('createChatModelFromSpec', () => {
  it('loads the driver package from rootDir, passes env, and wraps it with resilience', async () => {
    const model = await createChatModelFromSpec('openai:gpt-x', {
      rootDir,
      env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' },
    });
    expect(model).toMatchObject({ provider: 'openai', model: 'gpt-x', state: 'closed' });
    expect((await model!.chat({ messages: [] })).text).toBe('http://127.0.0.1:9/v1');
  });

  it('lets BOTWIRE_MODEL override the entry, and applies the entry settings', async () => {
    const model = await createChatModelFromSpec(
      { use: 'ollama:llama3.2', failureThreshold: 1 },
      { rootDir, env: { BOTWIRE_MODEL: 'openai:from-env' } },
    );
    expect(model?.model).toBe('from-env');
    const disabled = await createChatModelFromSpec('openai:gpt-x', {
      rootDir,
      env: { BOTWIRE_MODEL: 'none' },
    });
    expect(disabled).toBeUndefined();
    expect(await createChatModelFromSpec(undefined, { rootDir, env: {} })).toBeUndefined();
  });

  it('says how to install a missing driver package', async () => {
    // pnpm's bin shim gives the test process a NODE_PATH that reaches every workspace package;
    // a bot's process has none, so resolve without it here.
    const saved = process.env.NODE_PATH;
    const initPaths = (Module as unknown as { _initPaths: () => void })._initPaths;
    delete process.env.NODE_PATH;
    initPaths();
    const error = await caught(() =>
      createChatModelFromSpec('ollama:llama3.2', { rootDir: emptyDir, env: {} }),
    ).finally(() => {
      if (saved !== undefined) process.env.NODE_PATH = saved;
      initPaths();
    });
    expect(isBotwireError(error, 'BOTWIRE_MODEL_NOT_CONFIGURED')).toBe(true);
    expect((error as { hint?: string }).hint).toBe(
      'Install it beside the bot: pnpm add @botwire/model-ollama',
    );
  });

  it('rejects a package without a factory', async () => {
    const error = await caught(() =>
      createChatModelFromSpec('ollama:llama3.2', { rootDir, env: {} }),
    );
    expect((error as Error).message).toContain('no default export');
  });
});

describe('createEmbeddingModelFromSpec', () => {
  it('loads the embeddings driver, or gives undefined for none', async () => {
    const model = await createEmbeddingModelFromSpec('openai:text-embedding-3-small', {
      rootDir,
      env: {},
    });
    expect(await model?.embed(['a', 'b'])).toEqual({ vectors: [[1], [1]] });
    expect(model?.provider).toBe('openai');
    expect(await createEmbeddingModelFromSpec('none', { rootDir })).toBeUndefined();
    expect(await createEmbeddingModelFromSpec('lexical', { rootDir })).toBeUndefined();
  });

  it('lets BOTWIRE_EMBEDDINGS override the config, and lexical turn a model off', async () => {
    const fromEnv = await createEmbeddingModelFromSpec(undefined, {
      rootDir,
      env: { BOTWIRE_EMBEDDINGS: 'openai:text-embedding-3-large' },
    });
    expect(fromEnv?.model).toBe('text-embedding-3-large');
    const off = await createEmbeddingModelFromSpec('openai:text-embedding-3-small', {
      rootDir,
      env: { BOTWIRE_EMBEDDINGS: 'lexical' },
    });
    expect(off).toBeUndefined();
    const error = await caught(() =>
      createEmbeddingModelFromSpec(undefined, { rootDir, env: { BOTWIRE_EMBEDDINGS: 'nonsense' } }),
    );
    expect((error as Error).message).toContain('BOTWIRE_EMBEDDINGS');
  });
});
