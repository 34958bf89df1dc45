import { BotwireError, type Logger } from '@botwire/core';
import type { Redis } from 'ioredis';
import { queueFailure, safeRedisUrl } from './queue-errors';

/** The libraries the driver loads on first use. */
export interface QueueModules {
  bullmq: typeof import('bullmq');
  Redis: typeof import('ioredis').Redis;
}

/** Loads `bullmq` and `ioredis`; BOTWIRE_QUEUE_FAILED with an install hint when they are missing. */
export async function loadQueueModules(): Promise<QueueModules> {
  try {
    const [bullmq, ioredis] = await Promise.all([import('bullmq'), import('ioredis')]);
    return { bullmq, Redis: ioredis.Redis };
  } catch (error) {
    throw new BotwireError('BOTWIRE_QUEUE_FAILED', {
      message: 'The packages bullmq and ioredis could not be loaded.',
      hint: 'Install them: pnpm add bullmq ioredis',
      cause: error,
    });
  }
}

/**
 * Opens the driver's command connection: it fails fast (two retries per command) instead of
 * queueing commands while Redis is away, and logs each new connection error once, without
 * credentials. A failed connect is BOTWIRE_QUEUE_FAILED with the reason Redis gave.
 */
export async function connectRedis(
  modules: QueueModules,
  url: string,
  log: Logger | undefined,
): Promise<Redis> {
  const redis = new modules.Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    connectTimeout: 5000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let lastError = '';
  // ioredis rejects connect() with "Connection is closed"; the reason is in the error event.
  let connectError: Error | undefined;
  redis.on('error', (error: Error) => {
    connectError ??= error;
    if (error.message === lastError) return;
    lastError = error.message;
    log?.warn('The Redis connection of the job queue failed', {
      url: safeRedisUrl(url),
      error: queueFailure(error, { url, action: 'a command' }).message,
    });
  });
  redis.on('ready', () => {
    lastError = '';
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw queueFailure(connectError ?? error, { url, action: 'connect' });
  }
  return redis;
}
