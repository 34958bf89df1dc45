import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@botwire/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const packages = fileURLToPath(new URL('../../', import.meta.url));
const telegramAdapter = join(packages, 'adapters/telegram/dist/index.js');
const webAdapter = join(packages, 'adapters/web/dist/index.js');

/** The promise: SIGTERM or SIGINT ends the process within this many milliseconds. */
const promisedMs = 5000;

let workDir: string;
beforeAll(() => {
  for (const built of [bin, telegramAdapter, webAdapter])
    if (!existsSync(built)) throw new Error(`${built} is not built; run pnpm build first.`);
  workDir = mkdtempSync(join(tmpdir(), 'botwire-signals-'));
});
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** A bot whose Telegram API is a loopback port nobody listens on, with the web chat on `port`. */
async function botDirectory(name: string, port: number): Promise<string> {
  const directory = join(workDir, name);
  mkdirSync(directory, { recursive: true });
  const unreachable = await freePort();
  writeFileSync(
    join(directory, 'botwire.config.json'),
    JSON.stringify({
      name: 'Signals',
      http: { host: '127.0.0.1', port, token: 'owner-token-for-signal-tests' },
      adapters: [
        {
          use: telegramAdapter,
          options: { token: '123456:signal-test', apiRoot: `http://127.0.0.1:${unreachable}` },
        },
        webAdapter,
      ],
      skills: [{ use: './skills/slow', permissions: [] }],
    }),
  );
  // A tool that takes a minute, to stop the bot in the middle of it.
  mkdirSync(join(directory, 'skills/slow'), { recursive: true });
  writeFileSync(
    join(directory, 'skills/slow/skill.json'),
    JSON.stringify({
      name: 'slow',
      version: '1.0.0',
      description: 'Takes a minute and leaves a marker file when it begins.',
      entry: './index.mjs',
      tools: [
        {
          name: 'slow_wait',
          description: 'Waits a minute.',
          input_schema: { type: 'object', properties: { marker: { type: 'string' } } },
          permissions: [],
          side_effects: false,
          timeout_ms: 120_000,
        },
      ],
      commands: [{ name: 'wait', tool: 'slow_wait', argument: 'marker', description: 'wait' }],
    }),
  );
  writeFileSync(
    join(directory, 'skills/slow/index.mjs'),
    `import { writeFileSync } from 'node:fs';
export default {
  tools: {
    slow_wait: async ({ marker }) => {
      if (marker) writeFileSync(marker, 'entered');
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      return { text: 'done waiting' };
    },
  },
};
`,
  );
  return directory;
}

function startBot(directory: string, command: 'start' | 'chat' = 'start'): Running {
  const child = spawn(
    process.execPath,
    [bin, command, '--config', join(directory, 'botwire.config.json')],
    {
      cwd: directory,
      env: { ...process.env, BOTWIRE_DATA_DIR: join(directory, 'data'), BOTWIRE_LOG_LEVEL: 'info' },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    at: Date.now(),
  }));
  return { child, stderr: () => stderr, stdout: () => stdout, exited };
}

const waitFor = async (check: () => boolean, what: string, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

/** Sends the signal and returns how long the process took to exit, and how it exited. */
async function stopAndTime(running: Running, signal: NodeJS.Signals = 'SIGTERM') {
  const sentAt = Date.now();
  running.child.kill(signal);
  const exit = await Promise.race([
    running.exited,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 15_000)),
  ]);
  if (!exit) {
    running.child.kill('SIGKILL');
    throw new Error(`still running 15 s after ${signal}; stderr:\n${running.stderr()}`);
  }
  return { ...exit, ms: exit.at - sentAt };
}

describe('botwire start stops within 5 s of SIGTERM or SIGINT', { timeout: 60_000 }, () => {
  for (const afterMs of [0, 1000, 3000]) {
    it(`while starting or retrying Telegram: SIGTERM ${afterMs} ms after spawn`, async () => {
      const directory = await botDirectory(`at-${afterMs}`, await freePort());
      const running = startBot(directory);
      await new Promise((resolve) => setTimeout(resolve, afterMs));
      const exit = await stopAndTime(running);
      expect(exit.ms).toBeLessThan(promisedMs);
      // Before the CLI has its handlers, Node's default ends it by the signal; after, it exits 0.
      if (exit.signal === null) expect(exit.code).toBe(0);
      else expect(exit.signal).toBe('SIGTERM');
    });
  }

  it('as soon as the bot begins to start its adapters: stopped once it has started', async () => {
    const directory = await botDirectory('starting', await freePort());
    const running = startBot(directory);
    await waitFor(() => running.stderr().includes('"bot-starting"'), 'the start of the adapters');
    const exit = await stopAndTime(running);
    expect(exit.ms).toBeLessThan(promisedMs);
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(running.stderr()).toContain('Stopping (SIGTERM)');
  });

  it('while Telegram is unreachable and the web chat serves: a clean stop', async () => {
    const port = await freePort();
    const directory = await botDirectory('serving', port);
    const running = startBot(directory);
    await waitFor(() => running.stderr().includes('"event":"telegram-unreachable"'), 'a retry');
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    const exit = await stopAndTime(running, 'SIGINT');
    expect(exit.ms).toBeLessThan(promisedMs);
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(running.stderr()).toContain('Stopping (SIGINT)');
    expect(running.stderr()).not.toContain('Did not stop');
  });

  it('with a WebSocket whose client never answers the close', async () => {
    const port = await freePort();
    const directory = await botDirectory('socket', port);
    const running = startBot(directory);
    await waitFor(() => running.stderr().includes('http-listening'), 'the HTTP server');
    const socket = connect(port, '127.0.0.1');
    let handshake = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => {
      handshake += chunk;
    });
    socket.write(
      'GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    await waitFor(() => handshake.includes('101 Switching Protocols'), 'the WebSocket upgrade');
    const exit = await stopAndTime(running);
    socket.destroy();
    expect(exit.ms).toBeLessThan(promisedMs);
    // The HTTP server cuts the silent client after a second: a clean stop, not the deadline.
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(running.stderr()).not.toContain('Did not stop');
  });

  it('in the middle of a long tool call', async () => {
    const directory = await botDirectory('tool-call', await freePort());
    const running = startBot(directory, 'chat');
    const marker = join(directory, 'entered');
    running.child.stdin!.write(`/wait ${marker}\n`);
    await waitFor(() => existsSync(marker), 'the tool call to begin');
    const exit = await stopAndTime(running);
    expect(exit.ms).toBeLessThan(promisedMs);
    expect(exit.code).toBe(1);
    expect(running.stderr()).toMatch(
      /Did not stop within 4\.5 s; exiting anyway\. Still waiting for: adapter console\./,
    );
    expect(running.stdout()).not.toContain('done waiting');
  });
});
