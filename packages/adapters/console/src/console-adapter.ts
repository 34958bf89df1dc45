import { mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import {
  type Adapter,
  type AdapterCapabilities,
  type AdapterHost,
  BotwireError,
  type ChatRef,
  type IncomingMessage,
  type OutgoingMessage,
  parseCommand,
  type SentMessage,
  splitText,
} from '@botwire/core';
import { attachPromptLine } from './prompt-line';

/** Options for {@link consoleAdapter}. */
export interface ConsoleAdapterOptions {
  /** Where messages are read from. Default: standard input. */
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where replies are written. Default: standard output. */
  output?: NodeJS.WritableStream;
  /** Prompt and colours (true) or one message per line, exit at end of input (false). Default: whether input is a TTY. */
  interactive?: boolean;
  /** The language of the person at the terminal. Default: from LANG (`ru_RU.UTF-8` → `ru`). */
  locale?: string;
  /** The name the bot calls the person at the terminal. Default: the system user name. */
  userName?: string;
  /** Where files the bot sends are saved. Default: `<dataDir>/artifacts`. */
  artifactDir?: string;
}

const capabilities: AdapterCapabilities = {
  buttons: false,
  markdown: false,
  files: true,
  maxTextLength: 65_536,
  localOperator: true,
};

/**
 * A terminal chat. With a TTY it is interactive; without one it reads one message per line,
 * prints each reply, and ends at the end of input. The person at the terminal is the bot's owner.
 *
 * @example
 * export default defineConfig({ adapters: [consoleAdapter()] });
 */
export function consoleAdapter(options: ConsoleAdapterOptions = {}): Adapter {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = options.interactive ?? Boolean(input.isTTY);
  const locale = options.locale ?? terminalLocale();
  const userName = options.userName ?? safeUserName();
  const chat: ChatRef = { platformId: 'console', type: 'private' };
  let host: AdapterHost | undefined;
  let lines: Interface | undefined;
  let artifactDir = options.artifactDir;
  let counter = 0;
  let queue: Promise<void> = Promise.resolve();
  let started = false;
  // Whether the prompt is on screen, waiting for input (not while the bot works on a message).
  let waiting = false;
  let detachPrompt: (() => void) | undefined;
  const prompt = () => {
    waiting = true;
    lines?.prompt();
  };

  const write = (text: string) => {
    output.write(`${text}\n`);
  };

  const toMessage = (text: string): IncomingMessage => {
    counter += 1;
    const command = parseCommand(text);
    return {
      platform: 'console',
      platformMessageId: `${Date.now()}-${counter}`,
      sender: {
        platformId: userName,
        name: userName,
        ...(locale ? { locale } : {}),
        isLocalOperator: true,
      },
      chat,
      kind: 'message',
      text,
      ...(command ? { command } : {}),
      attachments: [],
      sentAt: new Date(),
    };
  };

  const handleLine = (line: string) => {
    const text = line.trim();
    if (!text) {
      if (interactive) prompt();
      return;
    }
    waiting = false;
    queue = queue.then(async () => {
      try {
        await host?.receive(toMessage(text));
      } catch (error) {
        host?.log.error('console-message-failed', { error });
        write(`! ${error instanceof Error ? error.message : String(error)}`);
      }
      if (interactive && started) prompt();
    });
  };

  return {
    name: 'console',
    capabilities,
    async start(runtimeHost) {
      host = runtimeHost;
      artifactDir ??= join(runtimeHost.dataDir, 'artifacts');
      started = true;
      lines = createInterface({
        input,
        ...(interactive ? { output, prompt: 'you › ' } : {}),
        terminal: interactive,
      });
      lines.on('line', handleLine);
      // In a terminal, readline takes Ctrl+C for itself; pass it on so the bot stops as asked.
      lines.on('SIGINT', () => {
        write('');
        process.kill(process.pid, 'SIGINT');
      });
      lines.on('close', () => {
        void queue.then(() => {
          if (interactive) write('');
          host?.end();
        });
      });
      if (interactive) {
        // Warnings written meanwhile (writeAbovePrompt) go above the prompt, which is redrawn.
        detachPrompt = attachPromptLine({
          get waiting() {
            return started && waiting;
          },
          redraw: () => lines?.prompt(true),
        });
        write('Type a message and press Enter. /help lists the commands; Ctrl+C stops the bot.');
        prompt();
      }
    },
    async stop() {
      started = false;
      waiting = false;
      detachPrompt?.();
      lines?.close();
      await queue;
    },
    async send(_chat, message: OutgoingMessage): Promise<SentMessage> {
      if (!started)
        throw new BotwireError('BOTWIRE_ADAPTER_NOT_STARTED', {
          message: 'The console adapter is not running.',
        });
      const ids: string[] = [];
      for (const part of splitText(message.text, capabilities.maxTextLength)) {
        if (interactive) output.write('\r\x1b[K');
        write(interactive ? `bot › ${part}` : part);
        counter += 1;
        ids.push(`out-${counter}`);
      }
      for (const artifact of message.artifacts ?? []) {
        const directory = artifactDir ?? join(process.cwd(), 'artifacts');
        mkdirSync(directory, { recursive: true });
        const path = join(
          directory,
          `${Date.now()}-${artifact.name.replace(/[^\w.\-а-яА-ЯёЁ]+/g, '_')}`,
        );
        writeFileSync(path, artifact.data);
        write(`[file] ${artifact.name} (${artifact.data.byteLength} bytes) saved to ${path}`);
      }
      return { platformMessageIds: ids };
    },
  };
}

function safeUserName(): string {
  try {
    return userInfo().username || 'operator';
  } catch {
    return 'operator';
  }
}

/** The terminal's language from LC_ALL, LC_MESSAGES or LANG (`ru_RU.UTF-8` → `ru_RU`); none for C/POSIX. */
function terminalLocale(): string | undefined {
  const tag = (process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '').split(
    '.',
  )[0];
  return tag && tag !== 'C' && tag !== 'POSIX' ? tag : undefined;
}
