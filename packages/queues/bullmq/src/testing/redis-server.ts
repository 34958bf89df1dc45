import { spawn } from 'node:child_process';
import { freePort } from '@botwire/core/testing';

/** A running throwaway Redis server. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); nothing is kept. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** The server binary (default: env `REDIS_SERVER`, else `redis-server` on the PATH). */
  binary?: string;
  /** A password clients must give (`requirepass`). */
  password?: string;
  /** How long to wait for it to accept connections (default 10000 ms). */
  timeoutMs?: number;
}

/**
 * Starts `redis-server` as a child process on a free loopback port, without persistence and
 * with `maxmemory-policy noeviction` as BullMQ needs; stop it in teardown.
 *
 * @example
 * const redis = await startRedisServer();
 * const queue = bullmqJobQueue({ url: redis.url });
 * // ...
 * await queue.close();
 * await redis.stop();
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = options.binary ?? (process.env.REDIS_SERVER || 'redis-server');
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--maxmemory-policy',
    'noeviction',
    ...(options.password ? ['--requirepass', options.password] : []),
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `redis-server did not start within ${options.timeoutMs ?? 10_000} ms:\n${output}`,
        ),
      );
    }, options.timeoutMs ?? 10_000);
    const settle = (error?: Error) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    child.once('error', (error: NodeJS.ErrnoException) =>
      settle(
        error.code === 'ENOENT'
          ? new Error(
              `redis-server was not found (tried "${binary}"). The tests of @botwire/queue-bullmq need a real Redis: install it (apt-get install redis-server, brew install redis) or set REDIS_SERVER to its path.`,
            )
          : error,
      ),
    );
    const watch = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) settle();
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    void exited.then((code) =>
      settle(new Error(`redis-server exited with ${code} before it was ready:\n${output}`)),
    );
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
