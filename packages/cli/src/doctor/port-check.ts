import { createServer } from 'node:net';
import type { CheckResult } from './doctor-check';

/** Where the bot's HTTP server would listen, and whether this bot starts it. */
export interface HttpTarget {
  host: string;
  port: number;
  /** True when the config starts the HTTP server (web chat, a webhook, or an `http` setting). */
  used: boolean;
}

/** Listens on host:port for a moment; returns the error code, or undefined when it is free. */
function tryListen(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/**
 * The HTTP port is free. A busy port fails only when this bot starts its HTTP server; for a bot
 * without one (or without a config) it is a warning.
 */
export async function checkPort(target: HttpTarget): Promise<CheckResult> {
  const { host, port, used } = target;
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return {
      name: 'port',
      status: 'fail',
      message: `the port "${port}" is not a TCP port`,
      fix: 'set PORT (or http.port in the config) to a number from 1 to 65535',
    };
  }
  const problem = await tryListen(host, port);
  if (!problem) {
    return {
      name: 'port',
      status: 'ok',
      message: `${address} is free${used ? '' : ' (this bot starts no HTTP server)'}`,
    };
  }
  const status = used ? 'fail' : 'warn';
  switch (problem) {
    case 'EADDRINUSE':
      return {
        name: 'port',
        status,
        message: `${address} is in use by another program`,
        fix: `stop it (\`ss -ltnp 'sport = :${port}'\` shows which), or set PORT to a free port`,
      };
    case 'EACCES':
      return {
        name: 'port',
        status,
        message: `listening on ${address} is not allowed for this user`,
        fix: 'set PORT to 1024 or above',
      };
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return {
        name: 'port',
        status,
        message: `${host} is not an address of this machine`,
        fix: 'set HOST (or http.host in the config) to 127.0.0.1, or an address of this machine',
      };
    default:
      return {
        name: 'port',
        status,
        message: `cannot listen on ${address} (${problem})`,
        fix: 'set HOST and PORT to an address and port this machine can listen on',
      };
  }
}
