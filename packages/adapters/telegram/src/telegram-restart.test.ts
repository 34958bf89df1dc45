import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './testing/emulator';

const script = fileURLToPath(new URL('./testing/restart-bot.ts', import.meta.url));
const root = fileURLToPath(new URL('../../../..', import.meta.url));

const waitFor = async (check: () => boolean, what: string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe('telegram adapter across a crash', () => {
  const children: ChildProcess[] = [];
  let emulator: Emulator | undefined;
  let directory: string | undefined;

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'close');
      }
    }
    await emulator?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  const startBot = async (dataDir: string, marker: string) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', script, emulator!.apiRoot, dataDir, marker],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let output = '';
    let errors = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      errors += chunk;
    });
    await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`the bot exited: ${errors}`);
      return output.includes('ready');
    }, `the bot to start (stderr: ${errors})`);
    return child;
  };

  it('answers exactly once when killed with SIGKILL between receiving and answering', {
    timeout: 60_000,
  }, async () => {
    emulator = await startEmulator();
    directory = mkdtempSync(join(tmpdir(), 'botwire-telegram-crash-'));
    const marker = join(directory, 'received');
    const first = await startBot(directory, marker);
    await emulator.userSends('are you there?');
    await waitFor(() => existsSync(marker), 'the update to be received');
    first.kill('SIGKILL');
    const [code, signal] = (await once(first, 'close')) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
    expect(emulator.seenTexts()).toEqual([]);
    // Telegram will not deliver the update again: the killed poller had taken it.
    expect(emulator.server.storage.userMessages.every((update) => update.isRead)).toBe(true);

    await startBot(directory, marker);
    expect(await emulator.waitForTexts(1, undefined, 15_000)).toEqual(['answer to are you there?']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(emulator.seenTexts()).toEqual(['answer to are you there?']);
  });
});
