import { randomBytes } from 'node:crypto';
import {
  type BotConfig,
  type ChatSequencer,
  isBotwireError,
  type JobQueue,
  type StorageDriver,
  type VectorIndex,
} from '@botwire/core';
import type { CheckContext, CheckResult } from './doctor-check';
import { hideSecrets } from './probe-http';

/** The part of the bot an engine serves: the name of its check. */
type Role = 'storage' | 'queue' | 'sequencer' | 'vectors';

/** One engine object of the config, and how to ask it whether its server answers. */
interface Engine {
  role: Role;
  /** The driver's name: `mongo`, `bullmq`, `redis`, `qdrant`, ... */
  driver: string;
  /** Resolves with what answered and how long it took; rejects with the driver's error. */
  probe(signal: AbortSignal): Promise<{ latencyMs: number; how: string }>;
  close(): Promise<void>;
}

/** The variable each driver of ours reads its server from, for fixes. */
const urlVariables: Record<string, string> = {
  mongo: 'MONGODB_URL',
  bullmq: 'REDIS_URL',
  redis: 'REDIS_URL',
  qdrant: 'QDRANT_URL',
};

const timed = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Storage with a server of its own: not the SQLite file (the data-dir check) nor memory. */
function storageEngine(storage: StorageDriver): Engine {
  return {
    role: 'storage',
    driver: storage.name,
    async probe() {
      // open() as `botwire start` does it: connects, and creates missing indexes or tables.
      await storage.open();
      if (storage.ping) return { latencyMs: await storage.ping(), how: 'ping' };
      return {
        latencyMs: await timed(() => storage.kv.get('botwire', 'doctor-probe')),
        how: 'a key-value read',
      };
    },
    close: () => storage.close(),
  };
}

function queueEngine(queue: JobQueue): Engine {
  return {
    role: 'queue',
    driver: queue.name,
    async probe() {
      if (!queue.ping) throw new NoProbe();
      return { latencyMs: await queue.ping(), how: 'ping' };
    },
    close: () => queue.close(),
  };
}

function sequencerEngine(sequencer: ChatSequencer): Engine {
  return {
    role: 'sequencer',
    driver: sequencer.name,
    async probe(signal) {
      // The port has no ping: the turn of a chat no update belongs to only reads, and comes at once.
      // The first turn connects; the second one's time is the round trip.
      const chat = `botwire-doctor-${randomBytes(6).toString('hex')}`;
      await sequencer.turn(chat, 0, { signal });
      return {
        latencyMs: await timed(() => sequencer.turn(chat, 0, { signal })),
        how: 'the turn of an unused chat',
      };
    },
    close: () => sequencer.close(),
  };
}

function vectorsEngine(index: VectorIndex): Engine {
  return {
    role: 'vectors',
    driver: index.name,
    async probe() {
      if (!index.ping) throw new NoProbe();
      return { latencyMs: await index.ping(), how: 'ping' };
    },
    close: () => index.close(),
  };
}

/** An engine object that has no way to be asked. */
class NoProbe extends Error {}

/** The engine objects a config names, in the order printed. */
function enginesOf(config: BotConfig): Engine[] {
  const engines: Engine[] = [];
  const { storage, queue, sequencer, vectors } = config;
  if (typeof storage === 'object' && storage.name !== 'sqlite' && !storage.processLocal) {
    engines.push(storageEngine(storage));
  }
  if (typeof queue === 'object') engines.push(queueEngine(queue));
  if (typeof sequencer === 'object') engines.push(sequencerEngine(sequencer));
  if (typeof vectors === 'object') engines.push(vectorsEngine(vectors));
  return engines;
}

const formatMs = (ms: number) => (ms < 1 ? 'under 1 ms' : `${Math.round(ms)} ms`);

/** `scheme://user:password@host` → `scheme://<credentials>@host`, wherever a URL appears. */
const hideCredentials = (text: string) =>
  text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1<credentials>@');

/** The passwords and keys of the engines' variables, to blank out of any message. */
function secretsOf(env: CheckContext['env']): string[] {
  const secrets: string[] = [];
  for (const name of ['MONGODB_URL', 'REDIS_URL', 'QDRANT_URL']) {
    const value = env[name];
    if (!value) continue;
    try {
      const password = decodeURIComponent(new URL(value).password);
      if (password) secrets.push(password, encodeURIComponent(password));
    } catch {
      // Not a URL the WHATWG parser takes (a MongoDB seed list): the pattern below covers it.
    }
  }
  if (env.QDRANT_API_KEY) secrets.push(env.QDRANT_API_KEY);
  return secrets;
}

/** Asks one engine, within the time limit, and closes what it opened. */
async function checkEngine(engine: Engine, context: CheckContext): Promise<CheckResult> {
  const { role, driver } = engine;
  const variable = urlVariables[driver];
  const where = variable ? `${variable} (or the url option)` : 'the url option';
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('the time limit passed'));
      resolve('timeout');
    }, context.timeoutMs);
  });
  const probing = engine.probe(controller.signal);
  probing.catch(() => undefined);
  const clean = (text: string) => hideCredentials(hideSecrets(text, secretsOf(context.env)));
  let result: CheckResult;
  try {
    const outcome = await Promise.race([probing, deadline]);
    result =
      outcome === 'timeout'
        ? {
            name: role,
            status: 'fail',
            message: `${driver} did not answer within ${context.timeoutMs} ms`,
            fix: `check that the server runs and that ${where} names it`,
          }
        : {
            name: role,
            status: 'ok',
            message: `${driver} answers: ${outcome.how} in ${formatMs(outcome.latencyMs)}`,
          };
  } catch (error) {
    if (error instanceof NoProbe) {
      result = {
        name: role,
        status: 'warn',
        message: `${driver} has no ping(): its server was not checked`,
        fix: `check the server ${driver} uses yourself (${where})`,
      };
    } else {
      const message = error instanceof Error ? error.message : String(error);
      result = {
        name: role,
        status: 'fail',
        message: clean(`${driver}: ${message}`),
        fix: clean(
          (isBotwireError(error) ? error.hint : undefined) ??
            `start the server, or set ${where} to where it runs`,
        ),
      };
    }
  } finally {
    clearTimeout(timer);
  }
  // What the probe opened is closed, without waiting past the time limit for it.
  let closeTimer: NodeJS.Timeout | undefined;
  await Promise.race([
    probing
      .catch(() => undefined)
      .then(() => engine.close())
      .catch(() => undefined),
    new Promise<void>((resolve) => {
      closeTimer = setTimeout(resolve, context.timeoutMs);
    }),
  ]);
  clearTimeout(closeTimer);
  return result;
}

/** A variable set for an engine the config does not use: a warning, not a connection. */
function unusedVariables(config: BotConfig, env: CheckContext['env']): CheckResult[] {
  const named = (value: unknown) => (isObject(value) ? String(value.name) : String(value));
  const warnings: CheckResult[] = [];
  const storage = config.storage;
  if (env.MONGODB_URL && !(typeof storage === 'object' && storage.name === 'mongo')) {
    warnings.push({
      name: 'storage',
      status: 'warn',
      message: `MONGODB_URL is set, but the storage is ${named(storage ?? 'sqlite')}: the bot does not use MongoDB`,
      fix: 'put storage: mongoStorage() (from @botwire/storage-mongo) in the config, or unset MONGODB_URL',
    });
  }
  if (env.REDIS_URL && !isObject(config.queue) && !isObject(config.sequencer)) {
    warnings.push({
      name: 'queue',
      status: 'warn',
      message: `REDIS_URL is set, but the queue is ${named(config.queue ?? 'embedded')} and the sequencer ${named(config.sequencer ?? 'storage')}: the bot does not use Redis`,
      fix: 'put queue: bullmqJobQueue() and sequencer: redisChatSequencer() (from @botwire/queue-bullmq) in the config, or unset REDIS_URL',
    });
  }
  if (env.QDRANT_URL && !isObject(config.vectors)) {
    warnings.push({
      name: 'vectors',
      status: 'warn',
      message: `QDRANT_URL is set, but the vectors are ${named(config.vectors ?? 'embedded')}: the bot does not use Qdrant`,
      fix: 'put vectors: qdrantVectorIndex() (from @botwire/vector-qdrant) in the config, or unset QDRANT_URL',
    });
  }
  return warnings;
}

/**
 * The engines the config names answer: storage with a server (MongoDB), the job queue and the
 * chat sequencer (Redis), the vector index (Qdrant). Each object is asked itself, through its
 * `ping()` (storage is opened first, as at start; a sequencer is asked for the turn of a chat no
 * update belongs to, which only reads), all at once, each within the time limit, and closed again. A
 * variable such as `MONGODB_URL` set for an engine the config does not use is a warning.
 * Passwords and keys never appear in the results.
 *
 * @example
 * const checks = await checkEngines(loaded.config, { env: process.env, rootDir, timeoutMs: 5000 });
 */
export async function checkEngines(
  config: BotConfig | undefined,
  context: CheckContext,
): Promise<CheckResult[]> {
  if (!config) return [];
  const results = await Promise.all(
    enginesOf(config).map((engine) => checkEngine(engine, context)),
  );
  return [...results, ...unusedVariables(config, context.env)];
}
