import { createServer } from 'node:net';

/**
 * A TCP port on loopback that is free right now, for a server that must be told its port up
 * front (or restarted on the same address) instead of listening on port 0.
 *
 * @example
 * const port = await freePort();
 * createBot({ config: { http: { host: '127.0.0.1', port } } });
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
