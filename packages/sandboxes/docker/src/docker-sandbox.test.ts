import { type CodeSandbox, isBotwireError } from '@botwire/core';
import { runCodeSandboxContract } from '@botwire/core/contract-suites';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dockerSandbox } from './docker-sandbox';
import {
  checkDockerPeerSupport,
  type DockerPeer,
  type PeerContainerConfig,
  startDockerPeer,
} from './testing';

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

// The peer runs each container in fresh Linux namespaces, which needs Linux and root (or the
// right to unshare and mount): without it, the tests that need it skip and say why.
const peerSupport = checkDockerPeerSupport();
if (!peerSupport.available)
  console.warn(`skipping the Docker Engine API peer tests: ${peerSupport.reason}`);

describe('dockerSandbox without Docker', () => {
  it('fails with BOTWIRE_SANDBOX_FAILED naming the socket when Docker is not reachable', async () => {
    const sandbox = dockerSandbox({ socketPath: '/nonexistent/botwire/docker.sock' });
    const error = await failure(sandbox.run('1 + 1'));
    expect(isBotwireError(error, 'BOTWIRE_SANDBOX_FAILED')).toBe(true);
    expect((error as Error).message).toContain('unix:///nonexistent/botwire/docker.sock');
    expect((error as Error).message).toMatch(/not reachable/);
    await sandbox.close();
  });

  it('refuses root and bad settings with BOTWIRE_INVALID_ARGUMENT', () => {
    for (const options of [{ user: '0:0' }, { user: 'root' }, { cpus: 0 }, { pidsLimit: -1 }]) {
      let caught: unknown;
      try {
        dockerSandbox(options);
      } catch (error) {
        caught = error;
      }
      expect(isBotwireError(caught, 'BOTWIRE_INVALID_ARGUMENT'), JSON.stringify(options)).toBe(
        true,
      );
    }
  });
});

describe.skipIf(!peerSupport.available)('dockerSandbox against the Docker Engine API peer', () => {
  runCodeSandboxContract('docker (Engine API peer)', async () => {
    const peer = await startDockerPeer();
    return { sandbox: dockerSandbox({ socketPath: peer.socketPath }), close: () => peer.close() };
  });

  let peer: DockerPeer;
  const opened: CodeSandbox[] = [];
  const open = (options: Parameters<typeof dockerSandbox>[0] = {}) => {
    const sandbox = dockerSandbox({ socketPath: peer.socketPath, ...options });
    opened.push(sandbox);
    return sandbox;
  };
  beforeAll(async () => {
    peer = await startDockerPeer({ images: ['python:3.12-slim', 'botwire/python:test'] });
  });
  afterEach(async () => {
    for (const sandbox of opened.splice(0)) await sandbox.close();
  });
  afterAll(async () => {
    await peer?.close();
  });
  const creates = () => peer.requests.filter((request) => request.path === '/containers/create');

  it('creates every container hardened, and removes each one after its run, whatever the end', async () => {
    const sandbox = open({ image: 'botwire/python:test', tmpfsBytes: 32 * 1024 * 1024, cpus: 0.5 });
    const before = peer.requests.length;
    const runs = [
      await sandbox.run('21 * 2'),
      await sandbox.run('1 / 0'),
      await sandbox.run('import os\nos._exit(3)'),
      await sandbox.run('while True: pass', { timeoutMs: 500, memoryBytes: 128 * 1024 * 1024 }),
    ];
    expect(runs.map((run) => run.error?.type ?? run.result)).toEqual([
      '42',
      'ZeroDivisionError',
      'SystemExit',
      'TimeoutError',
    ]);
    const requests = peer.requests.slice(before);
    const created = requests.filter((request) => request.path === '/containers/create');
    expect(created).toHaveLength(4);
    const memories: number[] = [];
    for (const request of created) {
      const body = request.body as PeerContainerConfig & { Cmd: string[] };
      const host = body.HostConfig ?? {};
      expect(body).toMatchObject({
        Image: 'botwire/python:test',
        NetworkDisabled: true,
        User: '65534:65534',
        Env: [],
        WorkingDir: '/tmp',
        Tty: false,
        OpenStdin: true,
        StdinOnce: true,
        Labels: { 'botwire.sandbox': '1' },
      });
      expect(body.Cmd.slice(0, 3)).toEqual(['python3', '-I', '-c']);
      expect(host).toMatchObject({
        NetworkMode: 'none',
        ReadonlyRootfs: true,
        Tmpfs: { '/tmp': `rw,nosuid,nodev,noexec,size=${32 * 1024 * 1024}` },
        NanoCpus: 500_000_000,
        PidsLimit: 64,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Privileged: false,
        AutoRemove: false,
      });
      expect(host.MemorySwap).toBe(host.Memory);
      expect(host.Binds ?? []).toEqual([]);
      expect(host.Devices ?? []).toEqual([]);
      expect(host.Mounts).toBeUndefined();
      memories.push(host.Memory ?? 0);
      // The program travels in the body only, not in the URL.
      expect(request.query).toEqual({});
    }
    expect(memories).toEqual([256, 256, 256, 128].map((mib) => mib * 1024 * 1024));
    const ids = requests
      .filter((request) => /\/start$/.test(request.path))
      .map((request) => request.path.split('/')[2]);
    expect(ids).toHaveLength(4);
    for (const id of ids) {
      const removal = requests.find(
        (request) => request.method === 'DELETE' && request.path === `/containers/${id}`,
      );
      expect(removal?.query.force, `container ${id} removed`).toBe('true');
    }
    expect(peer.containerIds()).toEqual([]);
  });

  it('removes the container when Docker refuses to start it', async () => {
    const before = peer.requests.length;
    const error = await failure(open({ user: 'botwire-no-such-user' }).run('1 + 1'));
    expect(isBotwireError(error, 'BOTWIRE_SANDBOX_FAILED')).toBe(true);
    expect((error as Error).message).toContain('unable to find user botwire-no-such-user');
    const requests = peer.requests.slice(before);
    const id = (requests.find((request) => /\/start$/.test(request.path))?.path ?? '').split(
      '/',
    )[2];
    expect(id).toBeTruthy();
    expect(
      requests.map((request) => `${request.method} ${request.path.replace(id!, '<id>')}`),
    ).toEqual([
      'GET /images/python:3.12-slim/json',
      'POST /containers/create',
      'POST /containers/<id>/attach',
      'POST /containers/<id>/start',
      'DELETE /containers/<id>',
    ]);
    expect(requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
    expect(peer.containerIds()).toEqual([]);
  });

  it('fails with BOTWIRE_SANDBOX_FAILED and a docker pull hint when the image is missing, creating no container', async () => {
    const before = creates().length;
    const sandbox = open({ image: 'botwire/missing:1' });
    const error = await failure(sandbox.run('1 + 1'));
    expect(isBotwireError(error, 'BOTWIRE_SANDBOX_FAILED')).toBe(true);
    expect((error as { hint?: string }).hint).toContain('docker pull botwire/missing:1');
    expect(creates().length).toBe(before);
  });
  it('stops a run whose code floods the real stdout, and removes its container', async () => {
    const run = await open().run("import os\nwhile True:\n    os.write(1, b'x' * 65536)", {
      outputBytes: 1000,
    });
    expect(run.error?.type).toBe('OutputLimitError');
    expect(run.truncated).toBe(true);
    expect(peer.containerIds()).toEqual([]);
  });

  it('runs several codes at once, each in its own container', async () => {
    const sandbox = open();
    const runs = await Promise.all(
      [1, 2, 3, 4].map((value) => sandbox.run(`import time\ntime.sleep(0.3)\n${value} * 10`)),
    );
    expect(runs.map((run) => run.result)).toEqual(['10', '20', '30', '40']);
    expect(peer.containerIds()).toEqual([]);
  });

  it('ends a run when its signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const started = Date.now();
    const run = await open().run('import time\ntime.sleep(30)', { signal: controller.signal });
    expect(run.error?.type).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops and removes the containers still running at close()', async () => {
    const sandbox = dockerSandbox({ socketPath: peer.socketPath });
    const running = failure(sandbox.run('import time\ntime.sleep(30)'));
    const deadline = Date.now() + 10_000;
    while (!peer.requests.some((r) => /\/start$/.test(r.path) && peer.containerIds().length > 0)) {
      if (Date.now() > deadline) throw new Error('the container did not start');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await sandbox.close();
    const error = await running;
    expect(isBotwireError(error, 'BOTWIRE_SANDBOX_FAILED')).toBe(true);
    expect(peer.containerIds()).toEqual([]);
    expect(isBotwireError(await failure(sandbox.run('1')), 'BOTWIRE_SANDBOX_FAILED')).toBe(true);
  });
});
