import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RedisServer, startRedisServer } from '@botwire/queue-bullmq/testing';
import { type MongoPeer, startMongoPeer } from '@botwire/storage-mongo/testing';
import { type QdrantPeer, startQdrantPeer } from '@botwire/vector-qdrant/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from './doctor-check';
import { runDoctor } from './run-doctor';

const workspace = fileURLToPath(new URL('../../../../', import.meta.url));
const mongoPassword = 'mongo-pa55-secret';
const redisPassword = 'redis-pa55-secret';
const qdrantKey = 'qdrant-key-secret-1234';

let root: string;
let counter = 0;
let mongo: MongoPeer;
let redis: RedisServer;
let qdrant: QdrantPeer;

/** A port that nothing listens on (bound and released). */
async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

/**
 * A bot folder whose node_modules links the workspace's engine packages (built), with a
 * `botwire.config.mjs` of these fields (JavaScript expressions).
 */
function botFolder(fields: Record<string, string>): string {
  counter += 1;
  const folder = join(root, `bot-${counter}`);
  mkdirSync(join(folder, 'node_modules/@botwire'), { recursive: true });
  for (const [name, path] of [
    ['adapter-console', 'packages/adapters/console'],
    ['storage-mongo', 'packages/storage/mongo'],
    ['queue-bullmq', 'packages/queues/bullmq'],
    ['vector-qdrant', 'packages/vectors/qdrant'],
  ] as const) {
    symlinkSync(join(workspace, path), join(folder, 'node_modules/@botwire', name), 'dir');
  }
  const body = Object.entries(fields)
    .map(([field, value]) => `  ${field}: ${value},`)
    .join('\n');
  writeFileSync(
    join(folder, 'botwire.config.mjs'),
    [
      "import { mongoStorage } from '@botwire/storage-mongo';",
      "import { bullmqJobQueue, redisChatSequencer } from '@botwire/queue-bullmq';",
      "import { qdrantVectorIndex } from '@botwire/vector-qdrant';",
      `export default {\n  adapters: ['console'],\n  http: false,\n${body}\n};`,
    ].join('\n'),
  );
  return folder;
}

/**
 * Runs the doctor on a bot folder. The engines that answer get a generous budget (a loaded
 * machine runs other suites beside the peers); the ones that must fail keep 3 s.
 */
const doctor = (folder: string, env: Record<string, string> = {}, timeoutMs = 3000) =>
  runDoctor({ cwd: folder, env: { PATH: process.env.PATH, ...env }, timeoutMs });

const named = (checks: CheckResult[], name: string) => {
  const found = checks.find((check) => check.name === name);
  if (!found) throw new Error(`no ${name} check in ${JSON.stringify(checks)}`);
  return found;
};

const withPassword = (url: string, user: string, password: string) =>
  url.replace('//', `//${user}:${password}@`);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'botwire-doctor-engines-'));
  [mongo, redis, qdrant] = await Promise.all([
    startMongoPeer({ users: { bot: mongoPassword } }),
    startRedisServer({ password: redisPassword }),
    startQdrantPeer({ apiKey: qdrantKey }),
  ]);
}, 30_000);

afterAll(async () => {
  await Promise.all([mongo?.close(), redis?.stop(), qdrant?.close()]);
  rmSync(root, { recursive: true, force: true });
});

describe('botwire doctor: the engines of the config', () => {
  it('asks MongoDB, Redis (queue and sequencer) and Qdrant, and reports each as ok', async () => {
    const mongoUrl = `${withPassword(mongo.url, 'bot', mongoPassword)}/botwire`;
    const redisUrl = withPassword(redis.url, '', redisPassword);
    const folder = botFolder({
      storage: `mongoStorage({ url: ${JSON.stringify(mongoUrl)} })`,
      queue: `bullmqJobQueue({ url: ${JSON.stringify(redisUrl)} })`,
      sequencer: `redisChatSequencer({ url: ${JSON.stringify(redisUrl)} })`,
      vectors: `qdrantVectorIndex({ url: ${JSON.stringify(qdrant.url)}, apiKey: ${JSON.stringify(qdrantKey)} })`,
    });
    const commandsBefore = mongo.commands.length;
    const report = await doctor(folder, {}, 15_000);
    expect(named(report.checks, 'storage')).toEqual({
      name: 'storage',
      status: 'ok',
      message: expect.stringMatching(/^mongo answers: ping in (under 1|\d+) ms$/),
    });
    expect(mongo.commands.slice(commandsBefore)).toContain('ping');
    expect(named(report.checks, 'queue')).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(/^bullmq answers: ping in /),
    });
    // A sequencer is asked for the turn of a chat no update belongs to.
    expect(named(report.checks, 'sequencer')).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(/^redis answers: the turn of an unused chat in /),
    });
    expect(named(report.checks, 'vectors')).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(/^qdrant answers: ping in /),
    });
    expect(qdrant.requests.some((request) => request.path === '/collections')).toBe(true);
    expect(report.ok).toBe(true);
    const printed = JSON.stringify(report);
    for (const secret of [mongoPassword, redisPassword, qdrantKey])
      expect(printed).not.toContain(secret);
  }, 30_000);

  it('fails on servers that are not there, with the reason and a fix', async () => {
    const port = await deadPort();
    const folder = botFolder({
      storage: `mongoStorage({ url: 'mongodb://bot:${mongoPassword}@127.0.0.1:${port}/botwire', serverSelectionTimeoutMs: 1000 })`,
      queue: `bullmqJobQueue({ url: 'redis://:${redisPassword}@127.0.0.1:${port}' })`,
      sequencer: `redisChatSequencer({ url: 'redis://:${redisPassword}@127.0.0.1:${port}' })`,
      vectors: `qdrantVectorIndex({ url: 'http://127.0.0.1:${port}', apiKey: '${qdrantKey}' })`,
    });
    const started = Date.now();
    const report = await doctor(folder);
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(named(report.checks, 'storage')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(`MongoDB at mongodb://127.0.0.1:${port}/botwire`),
      fix: expect.stringContaining('MONGODB_URL'),
    });
    for (const name of ['queue', 'sequencer']) {
      expect(named(report.checks, name)).toMatchObject({
        status: 'fail',
        message: expect.stringContaining(`Redis at redis://127.0.0.1:${port} could not be reached`),
        fix: expect.stringContaining('REDIS_URL'),
      });
    }
    expect(named(report.checks, 'vectors')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(`Qdrant at http://127.0.0.1:${port} could not be reached`),
      fix: expect.stringContaining('QDRANT_URL'),
    });
    expect(report.ok).toBe(false);
    const printed = JSON.stringify(report);
    for (const secret of [mongoPassword, redisPassword, qdrantKey])
      expect(printed).not.toContain(secret);
  }, 30_000);

  it('fails on refused credentials without showing them', async () => {
    const wrong = 'wrong-pa55-word';
    const folder = botFolder({
      storage: `mongoStorage({ url: ${JSON.stringify(`${withPassword(mongo.url, 'bot', wrong)}/botwire`)} })`,
      queue: `bullmqJobQueue({ url: ${JSON.stringify(withPassword(redis.url, '', wrong))} })`,
      vectors: `qdrantVectorIndex({ url: ${JSON.stringify(qdrant.url)}, apiKey: '${wrong}' })`,
    });
    const report = await doctor(folder, {}, 15_000);
    expect(named(report.checks, 'storage')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('refused the credentials of user "bot"'),
      fix: expect.stringContaining('MONGODB_URL'),
    });
    expect(named(report.checks, 'queue')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('refused the credentials'),
    });
    expect(named(report.checks, 'vectors')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('refused the API key'),
      fix: expect.stringContaining('QDRANT_API_KEY'),
    });
    expect(JSON.stringify(report)).not.toContain(wrong);
  }, 30_000);

  it('warns about engine variables the config does not use, without connecting', async () => {
    const port = await deadPort();
    const report = await doctor(botFolder({}), {
      MONGODB_URL: `mongodb://bot:${mongoPassword}@127.0.0.1:${port}/botwire`,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      QDRANT_URL: `http://127.0.0.1:${port}`,
    });
    expect(named(report.checks, 'storage')).toMatchObject({
      status: 'warn',
      message: 'MONGODB_URL is set, but the storage is sqlite: the bot does not use MongoDB',
      fix: expect.stringContaining('mongoStorage()'),
    });
    expect(named(report.checks, 'queue')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('the bot does not use Redis'),
    });
    expect(named(report.checks, 'vectors')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('the bot does not use Qdrant'),
    });
    expect(report.checks.find((check) => check.name === 'sequencer')).toBeUndefined();
    expect(JSON.stringify(report)).not.toContain(mongoPassword);
  });

  it('adds no engine lines for the embedded defaults', async () => {
    const report = await doctor(
      botFolder({ storage: "'sqlite'", queue: "'embedded'", vectors: "'embedded'" }),
    );
    const names = report.checks.map((check) => check.name);
    for (const name of ['storage', 'queue', 'sequencer', 'vectors'])
      expect(names).not.toContain(name);
  });
});
