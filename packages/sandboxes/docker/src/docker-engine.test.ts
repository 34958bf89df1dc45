import { isBotwireError } from '@botwire/core';
import { runCodeSandboxContract } from '@botwire/core/contract-suites';
import { describe, expect, it } from 'vitest';
import { dockerSandbox } from './docker-sandbox';

// These run against a real Docker engine, which CI and most dev machines here do not have:
// set DOCKER_HOST (unix:///var/run/docker.sock, tcp://...) to run them, after
// `docker pull python:3.12-slim` (or set BOTWIRE_DOCKER_IMAGE to an image with python3).
const image = process.env.BOTWIRE_DOCKER_IMAGE || 'python:3.12-slim';

describe.skipIf(!process.env.DOCKER_HOST)('dockerSandbox against a real Docker engine', () => {
  runCodeSandboxContract(`docker (${image})`, async () => ({ sandbox: dockerSandbox({ image }) }), {
    testTimeoutMs: 120_000,
  });

  it('cuts the code off from the network and the host, as nobody without capabilities', {
    timeout: 60_000,
  }, async () => {
    const sandbox = dockerSandbox({ image });
    try {
      const run = await sandbox.run(
        [
          'import os, socket',
          'try:',
          "    socket.create_connection(('127.0.0.1', 9), timeout=3)",
          "    net = 'connected'",
          'except OSError as error:',
          '    net = type(error).__name__',
          'def denied(path):',
          '    try:',
          "        open(path, 'w').close()",
          '        return False',
          '    except OSError:',
          '        return True',
          "(net, os.getuid(), denied('/usr/x'), sorted(os.environ))",
        ].join('\n'),
      );
      expect(run.error).toBeNull();
      expect(run.result).not.toContain("'connected'");
      expect(run.result).toMatch(/^\('\w+', 65534, True, /);
    } finally {
      await sandbox.close();
    }
  });

  it('answers MemoryError when the OOM killer ends the container', {
    timeout: 60_000,
  }, async () => {
    const sandbox = dockerSandbox({ image, memoryBytes: 64 * 1024 * 1024 });
    try {
      const run = await sandbox.run('blocks = [bytearray(16 * 1024 * 1024) for _ in range(64)]');
      expect(run.error?.type).toBe('MemoryError');
    } finally {
      await sandbox.close();
    }
  });

  it('fails with a docker pull hint for an image that is not there', async () => {
    const sandbox = dockerSandbox({ image: 'botwire/never-pulled:0' });
    const error = await sandbox.run('1').catch((caught: unknown) => caught);
    expect(isBotwireError(error, 'BOTWIRE_SANDBOX_FAILED')).toBe(true);
    expect((error as { hint?: string }).hint).toContain('docker pull botwire/never-pulled:0');
  });
});
