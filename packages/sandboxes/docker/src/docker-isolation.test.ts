import { createServer, type Server } from 'node:net';
import type { CodeSandbox, Logger } from '@botwire/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dockerSandbox } from './docker-sandbox';
import { checkDockerPeerSupport, type DockerPeer, startDockerPeer } from './testing';

// What the code can reach and use inside a container of the Docker Engine API peer. The peer
// needs Linux and root; without them these tests skip (docker-sandbox.test.ts prints why).
const peerSupport = checkDockerPeerSupport();

describe.skipIf(!peerSupport.available)('dockerSandbox isolation (Engine API peer)', () => {
  let peer: DockerPeer;
  const opened: CodeSandbox[] = [];
  const open = (options: Parameters<typeof dockerSandbox>[0] = {}) => {
    const sandbox = dockerSandbox({ socketPath: peer.socketPath, ...options });
    opened.push(sandbox);
    return sandbox;
  };
  beforeAll(async () => {
    peer = await startDockerPeer();
  });
  afterEach(async () => {
    for (const sandbox of opened.splice(0)) await sandbox.close();
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('runs the code as nobody, with a read-only root, a noexec /tmp, no capabilities and an empty environment', async () => {
    const run = await open().run(
      [
        'import os',
        'def denied(path):',
        '    try:',
        "        open(path, 'w').close()",
        '        return False',
        '    except OSError:',
        '        return True',
        "status = dict(line.split(':\\t', 1) for line in open('/proc/self/status').read().splitlines() if ':\\t' in line)",
        "(os.getuid(), os.getgid(), os.getcwd(), sorted(k for k in os.environ if k != 'LC_CTYPE'),",
        " denied('/usr/botwire-test'), denied('/etc/botwire-test'), not denied('/tmp/x'),",
        " 'noexec' in [line for line in open('/proc/self/mounts') if ' /tmp ' in line][0],",
        " status['CapEff'].strip(), status['NoNewPrivs'].strip(), os.getpid())",
      ].join('\n'),
    );
    expect(run.error).toBeNull();
    expect(run.result).toBe(
      "(65534, 65534, '/tmp', [], True, True, True, True, '0000000000000000', '1', 1)",
    );
  });

  it('cannot reach the network, not even a server on the loopback', async () => {
    const connections: unknown[] = [];
    const server: Server = createServer((socket) => {
      connections.push(socket.remoteAddress);
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const run = await open().run(
        [
          'import socket',
          'try:',
          `    socket.create_connection(('127.0.0.1', ${port}), timeout=3)`,
          "    outcome = 'connected'",
          'except OSError as error:',
          '    outcome = type(error).__name__',
          'outcome',
        ].join('\n'),
      );
      expect(run.error).toBeNull();
      expect(run.result).not.toBe("'connected'");
      expect(run.result).toMatch(/Error/);
      expect(connections).toEqual([]);
    } finally {
      server.close();
    }
  });

  it.each([
    ['cgroups where the host allows', true],
    ['rlimits only', false],
  ])('answers MemoryError past the memory limit (peer limits: %s)', async (_name, cgroups) => {
    const own = cgroups ? peer : await startDockerPeer({ cgroups });
    try {
      const lines: { message: string; fields?: Record<string, unknown> }[] = [];
      const log: Logger = {
        debug: (message, fields) => lines.push({ message, ...(fields ? { fields } : {}) }),
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
        child: () => log,
      };
      const sandbox = open({ socketPath: own.socketPath, log });
      const run = await sandbox.run('block = bytearray(200 * 1024 * 1024)\nlen(block)', {
        memoryBytes: 96 * 1024 * 1024,
      });
      expect(run.error?.type).toBe('MemoryError');
      const ended = lines.find((line) => line.message === 'sandbox-container-ended');
      // With a memory cgroup the OOM killer ends the container and inspect says OOMKilled, as in
      // Docker; with an address-space rlimit Python raises MemoryError itself, and OOMKilled
      // stays false.
      expect(ended?.fields?.oomKilled).toBe(own.cgroups.memory);
      expect((await sandbox.run('len(bytearray(50 * 1024 * 1024))')).result).toBe('52428800');
    } finally {
      if (own !== peer) await own.close();
    }
  });

  it('limits processes and threads to pidsLimit', async () => {
    const run = await open({ pidsLimit: 16 }).run(
      [
        'import threading, time',
        'started = 0',
        'try:',
        '    for _ in range(100):',
        '        threading.Thread(target=time.sleep, args=(1,), daemon=True).start()',
        '        started += 1',
        'except RuntimeError:',
        '    pass',
        'started',
      ].join('\n'),
    );
    expect(run.error).toBeNull();
    expect(Number(run.result)).toBeLessThan(16);
  });
});
