/**
 * Test support for the example's Telegram tests: bots of `emulator-bot.ts` in child processes
 * (started, waited for until `ready`, killed with SIGKILL), and a bounded wait.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BankDeskOptions } from '@botwire/skill-banking-faq/desk';

const script = fileURLToPath(new URL('./emulator-bot.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Waits until `check` is true, polling every 25 ms; throws after `timeoutMs` naming `what`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The bot processes a test started; `killAll()` in `afterEach` leaves none behind. */
export class BotProcesses {
  private readonly children: ChildProcess[] = [];

  /**
   * Starts the example's bot on the emulator at `apiRoot` with its data in `dataDir`; resolves
   * once it prints `ready`. It exits by itself after `lifetimeSeconds`.
   */
  async start(
    apiRoot: string,
    dataDir: string,
    options: BankDeskOptions = {},
    lifetimeSeconds = 120,
  ): Promise<ChildProcess> {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        script,
        apiRoot,
        dataDir,
        JSON.stringify(options),
        String(lifetimeSeconds),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.children.push(child);
    let output = '';
    let errors = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      errors += chunk;
    });
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`the bot exited: ${errors}`);
        return output.includes('ready');
      },
      `the bot to start (stderr: ${errors})`,
      30_000,
    );
    return child;
  }

  /** Kills a bot with SIGKILL, as a crash would, and waits until it is gone. */
  async kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'close');
  }

  /** Kills every bot still running. */
  async killAll(): Promise<void> {
    for (const child of this.children.splice(0)) await this.kill(child);
  }
}
