import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOllamaPeer } from '@botwire/model-ollama/testing';
import { startOpenAiPeer } from '@botwire/model-openai/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from './doctor-check';
import { type DoctorOptions, runDoctor } from './run-doctor';

const workspace = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const goodToken = '111:good-token-for-the-fake-bot-api';
const badToken = '222:refused-token';
const hangingToken = '333:token-the-fake-never-answers';

/** A fake Telegram Bot API on loopback: getMe answers ok, 401, or never, by token. */
async function startFakeBotApi() {
  const hanging: ServerResponse[] = [];
  const calls: string[] = [];
  const server: Server = createServer((request, response) => {
    calls.push(request.url ?? '');
    const send = (status: number, body: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.url === `/bot${goodToken}/getMe`) {
      send(200, { ok: true, result: { id: 111, is_bot: true, username: 'doctor_test_bot' } });
    } else if (request.url === `/bot${hangingToken}/getMe`) {
      hanging.push(response);
    } else {
      send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** A port that nothing listens on (bound and released). */
async function deadPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

let root: string;
let fakeApi: Awaited<ReturnType<typeof startFakeBotApi>>;
let counter = 0;

/**
 * A bot folder with this config, whose node_modules links the workspace's adapter and model
 * packages (as `botwire init --local` does), and a data folder of its own.
 */
function botFolder(config: Record<string, unknown>, links = true): string {
  counter += 1;
  const folder = join(root, `bot-${counter}`);
  mkdirSync(join(folder, 'node_modules/@botwire'), { recursive: true });
  if (links) {
    for (const [name, path] of [
      ['adapter-telegram', 'packages/adapters/telegram'],
      ['adapter-discord', 'packages/adapters/discord'],
      ['adapter-web', 'packages/adapters/web'],
      ['adapter-console', 'packages/adapters/console'],
      ['model-openai', 'packages/models/openai'],
      ['model-ollama', 'packages/models/ollama'],
    ] as const) {
      symlinkSync(join(workspace, path), join(folder, 'node_modules/@botwire', name), 'dir');
    }
  }
  writeFileSync(join(folder, 'botwire.config.json'), JSON.stringify(config));
  return folder;
}

/** Runs the doctor on a bot folder with only these variables (and PATH). */
function doctor(folder: string, env: Record<string, string> = {}, options: DoctorOptions = {}) {
  return runDoctor({
    cwd: folder,
    env: { PATH: process.env.PATH, ...env },
    timeoutMs: 2000,
    ...options,
  });
}

const named = (checks: CheckResult[], name: string) => {
  const found = checks.find((check) => check.name === name);
  if (!found) throw new Error(`no ${name} check in ${JSON.stringify(checks)}`);
  return found;
};

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`The CLI is not built (${bin}); pnpm test builds it.`);
  root = mkdtempSync(join(tmpdir(), 'botwire-doctor-'));
  fakeApi = await startFakeBotApi();
});
afterAll(async () => {
  await fakeApi.close();
  rmSync(root, { recursive: true, force: true });
});

describe('botwire doctor: the Telegram token', () => {
  it('passes when getMe answers, and names the bot', async () => {
    const report = await doctor(botFolder({ adapters: ['telegram'] }), {
      TELEGRAM_BOT_TOKEN: goodToken,
      TELEGRAM_API_ROOT: fakeApi.apiRoot,
    });
    expect(named(report.checks, 'telegram')).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('@doctor_test_bot'),
    });
    expect(fakeApi.calls).toContain(`/bot${goodToken}/getMe`);
    expect(report.ok).toBe(true);
  });

  it('fails on a 401 with a fix, and never shows the token', async () => {
    const report = await doctor(botFolder({ adapters: ['telegram'] }), {
      TELEGRAM_BOT_TOKEN: badToken,
      TELEGRAM_API_ROOT: fakeApi.apiRoot,
    });
    const telegram = named(report.checks, 'telegram');
    expect(telegram.status).toBe('fail');
    expect(telegram.message).toMatch(/refused the token: 401 Unauthorized/);
    expect(telegram.fix).toMatch(/@BotFather/);
    expect(JSON.stringify(report)).not.toContain(badToken);
    expect(report.ok).toBe(false);
  });

  it('fails within the time limit when getMe hangs', async () => {
    const started = Date.now();
    const report = await doctor(
      botFolder({ adapters: ['telegram'] }),
      { TELEGRAM_BOT_TOKEN: hangingToken, TELEGRAM_API_ROOT: fakeApi.apiRoot },
      { timeoutMs: 300 },
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(named(report.checks, 'telegram')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/did not answer getMe within 300 ms/),
    });
    expect(JSON.stringify(report)).not.toContain(hangingToken);
  });

  it('prefers the apiRoot and token of the config over the environment', async () => {
    const folder = botFolder({
      adapters: [{ use: 'telegram', options: { apiRoot: fakeApi.apiRoot, token: goodToken } }],
    });
    const report = await doctor(folder, {
      TELEGRAM_BOT_TOKEN: badToken,
      TELEGRAM_API_ROOT: `http://127.0.0.1:${await deadPort()}`,
    });
    expect(named(report.checks, 'telegram').status).toBe('ok');
  });

  it('names the missing variable, and what is missing for Discord', async () => {
    const report = await doctor(botFolder({ adapters: ['telegram', 'discord'] }));
    expect(named(report.checks, 'telegram')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('TELEGRAM_BOT_TOKEN is not set'),
    });
    expect(named(report.checks, 'discord')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('DISCORD_BOT_TOKEN'),
    });
    const withToken = await doctor(botFolder({ adapters: ['discord'] }), {
      DISCORD_BOT_TOKEN: 'discord-token',
    });
    expect(named(withToken.checks, 'discord').status).toBe('ok');
  });

  it('fails when the adapter package is not installed beside the bot', async () => {
    const report = await doctor(botFolder({ adapters: ['matrix'] }));
    expect(named(report.checks, 'matrix')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('@botwire/adapter-matrix is not installed'),
      fix: expect.stringContaining('npm install @botwire/adapter-matrix'),
    });
  });
});

describe('botwire doctor: the model endpoint', () => {
  it('passes when the OpenAI-protocol endpoint lists the model', async () => {
    const peer = await startOpenAiPeer({ apiKey: 'sk-doctor', models: ['gpt-peer'] });
    try {
      const env = {
        BOTWIRE_MODEL: 'openai:gpt-peer',
        OPENAI_BASE_URL: peer.baseURL,
        OPENAI_API_KEY: 'sk-doctor',
      };
      const report = await doctor(botFolder({}), env);
      expect(named(report.checks, 'model')).toMatchObject({ status: 'ok' });
      expect(peer.requests.map((request) => `${request.method} ${request.path}`)).toContain(
        'GET /v1/models',
      );
      const unlisted = await doctor(botFolder({}), { ...env, BOTWIRE_MODEL: 'openai:gpt-other' });
      expect(named(unlisted.checks, 'model')).toMatchObject({
        status: 'warn',
        message: expect.stringContaining('"gpt-other"'),
      });
      const wrongKey = await doctor(botFolder({}), { ...env, OPENAI_API_KEY: 'sk-wrong' });
      const model = named(wrongKey.checks, 'model');
      expect(model).toMatchObject({
        status: 'fail',
        fix: expect.stringContaining('OPENAI_API_KEY'),
      });
      expect(model.message).toMatch(/HTTP 401/);
      expect(JSON.stringify(wrongKey)).not.toContain('sk-wrong');
    } finally {
      await peer.close();
    }
  });

  it('fails when the endpoint is down, with the model named in the config', async () => {
    const peer = await startOpenAiPeer();
    await peer.close();
    const report = await doctor(botFolder({ model: 'openai:gpt-peer' }), {
      OPENAI_BASE_URL: peer.baseURL,
    });
    expect(named(report.checks, 'model')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/cannot reach .*ECONNREFUSED/),
      fix: expect.stringContaining('OPENAI_BASE_URL'),
    });
    expect(report.ok).toBe(false);
  });

  it('names the missing API key without sending a request', async () => {
    const report = await doctor(botFolder({}), { BOTWIRE_MODEL: 'openai:gpt-4o-mini' });
    expect(named(report.checks, 'model')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('OPENAI_API_KEY is not set'),
    });
  });

  it('fails when the driver package is missing (the built CLI, exit 1, JSON)', () => {
    // A process of its own: under Vitest, NODE_PATH reaches every workspace package.
    const folder = botFolder({}, false);
    const result = spawnSync(process.execPath, [bin, 'doctor', '--json'], {
      cwd: folder,
      env: { PATH: process.env.PATH, BOTWIRE_MODEL: 'ollama:llama3.2' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: CheckResult[] };
    expect(report.ok).toBe(false);
    expect(named(report.checks, 'model')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('@botwire/model-ollama is not installed beside the bot'),
      fix: expect.stringContaining('npm install @botwire/model-ollama'),
    });
  });

  it('fails on a model setting that is not one', async () => {
    const invalid = await doctor(botFolder({}), { BOTWIRE_MODEL: 'gpt-4o' });
    expect(named(invalid.checks, 'model')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('BOTWIRE_MODEL'),
    });
  });

  it('checks an Ollama server for the model and says how to pull it', async () => {
    const peer = await startOllamaPeer({ models: ['llama-peer:latest'] });
    try {
      const pulled = await doctor(botFolder({}), {
        BOTWIRE_MODEL: 'ollama:llama-peer',
        OLLAMA_HOST: peer.url,
      });
      expect(named(pulled.checks, 'model').status).toBe('ok');
      const absent = await doctor(botFolder({}), {
        BOTWIRE_MODEL: 'ollama:qwen3',
        OLLAMA_HOST: peer.url,
      });
      expect(named(absent.checks, 'model')).toMatchObject({
        status: 'fail',
        fix: 'ollama pull qwen3',
      });
    } finally {
      await peer.close();
    }
  });

  it('is fine with no model at all', async () => {
    const report = await doctor(botFolder({}));
    expect(named(report.checks, 'model')).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('no model'),
    });
  });
});

describe('botwire doctor: this machine', () => {
  it('fails on a busy port when the bot serves HTTP, and only warns when it does not', async () => {
    const busy = createTcpServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    const { port } = busy.address() as { port: number };
    try {
      const web = await doctor(botFolder({ adapters: ['web'], http: { port } }));
      expect(named(web.checks, 'port')).toMatchObject({
        status: 'fail',
        message: `127.0.0.1:${port} is in use by another program`,
        fix: expect.stringContaining('PORT'),
      });
      expect(web.ok).toBe(false);
      const terminal = await doctor(botFolder({ adapters: ['console'] }), { PORT: String(port) });
      expect(named(terminal.checks, 'port').status).toBe('warn');
      expect(terminal.ok).toBe(true);
    } finally {
      await new Promise<void>((done) => busy.close(() => done()));
    }
    const free = await doctor(botFolder({ adapters: ['web'], http: { port } }));
    expect(named(free.checks, 'port')).toMatchObject({ status: 'ok' });
  });

  it('fails on a data folder that cannot be written or created', async () => {
    const blocker = join(root, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const under = await doctor(botFolder({}), { BOTWIRE_DATA_DIR: join(blocker, 'data') });
    expect(named(under.checks, 'data-dir')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('cannot be created'),
      fix: expect.stringContaining('BOTWIRE_DATA_DIR'),
    });
    const itself = await doctor(botFolder({}), { BOTWIRE_DATA_DIR: blocker });
    expect(named(itself.checks, 'data-dir')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('is a file, not a folder'),
    });
    const fresh = await doctor(botFolder({}), { BOTWIRE_DATA_DIR: join(root, 'new/data') });
    expect(named(fresh.checks, 'data-dir')).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('creates it at start'),
    });
  });

  it('fails on an old Node.js and warns about missing optional programs', async () => {
    const report = await doctor(
      botFolder({}),
      { PATH: root, BOTWIRE_CHROMIUM_PATH: join(root, 'no-chromium') },
      { nodeVersion: '20.10.0' },
    );
    expect(named(report.checks, 'node')).toMatchObject({ status: 'fail' });
    expect(named(report.checks, 'chromium')).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('apt-get install -y chromium'),
    });
    expect(named(report.checks, 'pdftotext')).toMatchObject({
      status: 'warn',
      fix: 'apt-get install -y poppler-utils',
    });
    expect(named(report.checks, 'pnpm').status).not.toBe('fail');
  });

  it('fails on an invalid config, and only warns without one', async () => {
    const invalid = await doctor(botFolder({ access: 'everyone' }));
    expect(named(invalid.checks, 'config')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('access'),
    });
    const none = join(root, 'empty');
    mkdirSync(none);
    const report = await runDoctor({ cwd: none, env: { PATH: process.env.PATH }, timeoutMs: 2000 });
    expect(named(report.checks, 'config')).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('--config'),
    });
  });
});
