import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPeerCgroups } from './peer-cgroups';
import { checkPeerConfig, type PeerContainerConfig, PeerError } from './peer-command';
import { PeerContainer } from './peer-container';
import {
  type PeerHttpAnswer,
  type PeerHttpRequest,
  servePeerConnection,
  writeAnswer,
} from './peer-http';
import { checkDockerPeerSupport } from './peer-support';

/** One request the peer received, for assertions. */
export interface RecordedDockerRequest {
  method: string;
  /** The path without the `/v1.xx` prefix: `/containers/create`, `/containers/<id>/start`. */
  path: string;
  query: Record<string, string>;
  /** The JSON body, or null when there was none. */
  body: unknown;
}

/** Options of {@link startDockerPeer}. */
export interface DockerPeerOptions {
  /** The images that exist (default `['python:3.12-slim']`); others are 404 as in Docker. */
  images?: string[];
  /** The host Python that runs `python3` commands (default: env `BOTWIRE_PEER_PYTHON`, else found). */
  python?: string;
  /** Apply limits with cgroups where the host allows (default true); false uses rlimits only. */
  cgroups?: boolean;
}

/** A running Docker Engine API peer. */
export interface DockerPeer {
  /** The unix socket to give dockerode or the driver (`socketPath`). */
  socketPath: string;
  /** Every request, in order. */
  requests: RecordedDockerRequest[];
  /**
   * Which limits are real cgroups here (cgroup v1 hierarchies the peer may write); where not,
   * memory and processes are rlimits, CPU is not capped, and OOMKilled is never reported.
   */
  cgroups: { memory: boolean; pids: boolean; cpu: boolean };
  /** The ids of the containers that exist now (created and not removed). */
  containerIds(): string[];
  /** Kills every container and stops the server. */
  close(): Promise<void>;
}

const apiVersion = '1.47';

function failure(error: unknown): PeerHttpAnswer {
  const status = error instanceof PeerError ? error.status : 500;
  return { status, body: { message: error instanceof Error ? error.message : String(error) } };
}

function parseBody(data: Buffer): unknown {
  const text = data.toString('utf8');
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new PeerError(400, 'invalid JSON body');
  }
}

const truthy = (value: string | undefined) => value === '1' || value === 'true';

/**
 * Starts a local Docker Engine API peer on a unix socket in a temporary folder: the part of the
 * API the Docker sandbox uses (`_ping`, `version`, image inspect, container create, hijacked
 * attach, start, wait, kill, inspect, list and delete), with or without a `/v1.xx` prefix. A
 * container runs its command with the host's Python in fresh mount, network and PID namespaces,
 * with its tmpfs, read-only mounts, memory, process and CPU limits (cgroups where the host allows,
 * else rlimits), user, dropped capabilities and no-new-privileges applied (see `peerCommand`);
 * the answers only relay what the process did.
 * Needs Linux and root (or the right to unshare and mount); otherwise it throws, saying why.
 *
 * @example
 * const peer = await startDockerPeer();
 * const sandbox = dockerSandbox({ socketPath: peer.socketPath });
 */
export async function startDockerPeer(options: DockerPeerOptions = {}): Promise<DockerPeer> {
  const support = checkDockerPeerSupport(options.python);
  if (!support.available || !support.python)
    throw new Error(`The Docker Engine API peer cannot run here: ${support.reason}`);
  const python = support.python;
  const useCgroups = options.cgroups ?? true;
  const images = new Set(options.images ?? ['python:3.12-slim']);
  const containers = new Map<string, PeerContainer>();
  const requests: RecordedDockerRequest[] = [];
  const sockets = new Set<Socket>();

  const record = (request: PeerHttpRequest, body: unknown) => {
    const url = new URL(request.target, 'http://docker');
    const path = url.pathname.replace(/^\/v\d+(\.\d+)?(?=\/)/, '');
    const entry = {
      method: request.method,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
    };
    requests.push(entry);
    return entry;
  };

  const find = (id: string): PeerContainer => {
    const exact = containers.get(id);
    if (exact) return exact;
    const matches = [...containers.values()].filter((container) => container.id.startsWith(id));
    if (matches.length === 1 && id.length > 0) return matches[0]!;
    throw new PeerError(404, `No such container: ${id}`);
  };

  const route = async (
    method: string,
    path: string,
    query: Record<string, string>,
    body: unknown,
  ): Promise<PeerHttpAnswer> => {
    if (path === '/_ping') return { status: 200, body: 'OK' };
    if (path === '/version' && method === 'GET')
      return {
        status: 200,
        body: {
          Version: 'botwire-peer',
          ApiVersion: apiVersion,
          MinAPIVersion: '1.24',
          Os: 'linux',
          Arch: process.arch === 'x64' ? 'amd64' : process.arch,
        },
      };
    const image = /^\/images\/(.+)\/json$/.exec(path);
    if (image && method === 'GET') {
      const name = decodeURIComponent(image[1]!);
      if (!images.has(name)) throw new PeerError(404, `No such image: ${name}`);
      return {
        status: 200,
        body: {
          Id: `sha256:${Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64)}`,
          RepoTags: [name],
          Os: 'linux',
        },
      };
    }
    if (path === '/containers/create' && method === 'POST') {
      const config = (body ?? {}) as PeerContainerConfig;
      if (!config.Image || !images.has(config.Image))
        throw new PeerError(404, `No such image: ${config.Image ?? ''}`);
      checkPeerConfig(config);
      const container = new PeerContainer(config, python, useCgroups);
      containers.set(container.id, container);
      return { status: 201, body: { Id: container.id, Warnings: [] } };
    }
    if (path === '/containers/json' && method === 'GET') {
      const all = truthy(query.all);
      return {
        status: 200,
        body: [...containers.values()]
          .filter((container) => all || container.running)
          .map((container) => ({
            Id: container.id,
            Image: container.config.Image,
            Labels: container.config.Labels ?? {},
            State: container.running ? 'running' : 'exited',
          })),
      };
    }
    const action = /^\/containers\/([^/]+)(?:\/([a-z]+))?$/.exec(path);
    if (!action) throw new PeerError(404, 'page not found');
    const container = find(decodeURIComponent(action[1]!));
    const verb = action[2];
    if (verb === 'start' && method === 'POST') {
      if (container.running) return { status: 304 };
      container.start();
      return { status: 204 };
    }
    if (verb === 'wait' && method === 'POST')
      return {
        status: 200,
        body: { StatusCode: await container.wait(query.condition), Error: null },
      };
    if (verb === 'kill' && method === 'POST') {
      container.kill(query.signal || 'SIGKILL');
      return { status: 204 };
    }
    if (verb === 'json' && method === 'GET') return { status: 200, body: container.inspect() };
    if (verb === undefined && method === 'DELETE') {
      if (container.running && !truthy(query.force))
        throw new PeerError(
          409,
          `cannot remove container ${container.id}: container is running: stop the container before removing or force remove`,
        );
      containers.delete(container.id);
      await container.remove();
      return { status: 204 };
    }
    throw new PeerError(404, 'page not found');
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    servePeerConnection(socket, {
      async request(request) {
        let body: unknown = null;
        let entry: RecordedDockerRequest | undefined;
        try {
          body = parseBody(request.body);
          entry = record(request, body);
          return await route(entry.method, entry.path, entry.query, body);
        } catch (error) {
          if (!entry) record(request, null);
          return failure(error);
        }
      },
      hijack(request, hijacked, rest) {
        attach(record(request, null), hijacked, rest);
      },
    });
  });

  // attach with `Upgrade: tcp`: answer 101, then the socket is the raw stream, as in Docker.
  const attach = (entry: RecordedDockerRequest, socket: Socket, rest: Buffer) => {
    const match = /^\/containers\/([^/]+)\/attach$/.exec(entry.path);
    let container: PeerContainer;
    try {
      if (!match || entry.method !== 'POST') throw new PeerError(404, 'page not found');
      container = find(decodeURIComponent(match[1]!));
    } catch (error) {
      writeAnswer(socket, failure(error), true);
      return;
    }
    socket.write(
      'HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n',
    );
    const wants = (name: string) => truthy(entry.query[name]);
    if (rest.length > 0 && wants('stdin')) container.writeStdin(rest);
    container.attach(socket, {
      stdin: wants('stdin'),
      stdout: wants('stdout'),
      stderr: wants('stderr'),
    });
  };

  const folder = await mkdtemp(join(tmpdir(), 'botwire-docker-peer-'));
  const socketPath = join(folder, 'docker.sock');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });

  const probe = createPeerCgroups(useCgroups, `probe${randomBytes(8).toString('hex')}`, {
    HostConfig: { Memory: 64 * 1024 * 1024, PidsLimit: 8, NanoCpus: 1e9 },
  });
  probe.remove();

  return {
    socketPath,
    requests,
    cgroups: { memory: probe.memory, pids: probe.pids, cpu: probe.cpu },
    containerIds: () => [...containers.keys()],
    async close() {
      await Promise.all([...containers.values()].map((container) => container.remove()));
      containers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(folder, { recursive: true, force: true });
    },
  };
}
