import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBotwireError } from '../errors/botwire-error';
import { BotHttpServer } from '../http/http-server';
import { silentLogger } from '../logging/logger';
import type { ChatRef, IncomingMessage } from '../messages/incoming-message';
import type { Adapter, AdapterHost } from '../ports/adapter';
import type { StorageDriver } from '../ports/storage';
import { memoryStorage } from '../storage/drivers/memory';
import { scopeKeyValueStore } from '../storage/scope-key-value-store';

/** A user on the platform, as a harness simulates them. */
export interface HarnessUser {
  userId: string;
  chatId: string;
  name?: string;
}

/**
 * Drives one adapter through its platform (an emulator, a local peer, or fake streams)
 * so that the contract suite can act as a user and see what the user sees.
 */
export interface AdapterHarness {
  adapter: Adapter;
  /** Makes the platform deliver a text message from a user. */
  userSends(text: string, from?: HarnessUser): Promise<void>;
  /** The texts the user has seen from the bot in this chat so far, in order (one per platform message). */
  seenTexts(from?: HarnessUser): Promise<string[]>;
  /** Presses a button with this data under the last message that has it (only for adapters with buttons). */
  userPresses?(data: string, from?: HarnessUser): Promise<void>;
  /** Called once the adapter has started (and the HTTP server, if the adapter used it, listens). */
  started?(host: AdapterHost): Promise<void> | void;
  /** Releases the platform peer. */
  close?(): Promise<void>;
}

/** Options for {@link runAdapterContract}. */
export interface AdapterContractOptions {
  /** Two distinct users the harness can act as; give them when the platform has more than one user. */
  users?: [HarnessUser, HarnessUser];
  /** How long to wait for a message or reply to arrive. Default: 5000 ms. */
  timeoutMs?: number;
}

async function waitFor<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}

/**
 * The contract every messenger adapter passes: messages arrive normalized, commands are
 * parsed, replies reach the user within the platform's length limit, buttons work or
 * degrade, and start/stop behave. Call it inside a Vitest test file.
 *
 * @example
 * runAdapterContract('console', async () => createConsoleHarness());
 */
export function runAdapterContract(
  name: string,
  createHarness: () => Promise<AdapterHarness>,
  options: AdapterContractOptions = {},
): void {
  const timeoutMs = options.timeoutMs ?? 5000;
  describe(`adapter contract: ${name}`, () => {
    let harness: AdapterHarness;
    let received: IncomingMessage[];
    let host: AdapterHost;

    let server: BotHttpServer | undefined;
    let storage: StorageDriver;

    beforeEach(async () => {
      harness = await createHarness();
      received = [];
      server = undefined;
      storage = memoryStorage();
      await storage.open();
      host = {
        receive: async (message) => {
          received.push(message);
        },
        end: () => {},
        commands: () => [
          { name: 'help', description: { en: 'list what I can do', ru: 'показать, что я умею' } },
        ],
        dataDir: '/nonexistent/botwire-contract',
        // Like the bot: created on first use, started after the adapter, on a free loopback port.
        http: () => {
          server ??= new BotHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
          return server;
        },
        kv: scopeKeyValueStore(storage.kv, `adapter:${harness.adapter.name}`),
        log: silentLogger,
      };
      await harness.adapter.start(host);
      await (server as BotHttpServer | undefined)?.start();
      await harness.started?.(host);
    });

    afterEach(async () => {
      await harness.adapter.stop();
      await server?.stop();
      await harness.close?.();
      await storage.close();
    });

    const next = async (count = 1) =>
      waitFor(
        () => received,
        (list) => list.length >= count,
        timeoutMs,
      );

    it('declares its name and capabilities', () => {
      const { capabilities } = harness.adapter;
      expect(harness.adapter.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(typeof capabilities.buttons).toBe('boolean');
      expect(typeof capabilities.markdown).toBe('boolean');
      expect(typeof capabilities.files).toBe('boolean');
      expect(capabilities.maxTextLength).toBeGreaterThan(0);
    });

    it('delivers a text as a normalized IncomingMessage', async () => {
      await harness.userSends('hello there');
      const [message] = await next();
      expect(message).toBeDefined();
      expect(message!.platform).toBe(harness.adapter.name);
      expect(message!.kind).toBe('message');
      expect(message!.text).toBe('hello there');
      expect(message!.command).toBeUndefined();
      expect(typeof message!.platformMessageId).toBe('string');
      expect(message!.platformMessageId.length).toBeGreaterThan(0);
      expect(typeof message!.sender.platformId).toBe('string');
      expect(typeof message!.chat.platformId).toBe('string');
      expect(['private', 'group']).toContain(message!.chat.type);
      expect(Array.isArray(message!.attachments)).toBe(true);
      expect(message!.sentAt).toBeInstanceOf(Date);
    });

    it('parses slash commands and their argument', async () => {
      await harness.userSends('/Remind 9:00 call mum');
      const [message] = await next();
      expect(message?.command).toEqual({ name: 'remind', argument: '9:00 call mum' });
    });

    it('gives every message its own platform id', async () => {
      await harness.userSends('one');
      await harness.userSends('two');
      const list = await next(2);
      expect(list.map((message) => message.text)).toEqual(['one', 'two']);
      expect(list[0]!.platformMessageId).not.toBe(list[1]!.platformMessageId);
    });

    it('sends a reply the user sees', async () => {
      await harness.userSends('ping');
      const [message] = await next();
      const sent = await harness.adapter.send(message!.chat, { text: 'pong' });
      expect(sent.platformMessageIds.length).toBe(1);
      const seen = await waitFor(
        () => harness.seenTexts(),
        (texts) => texts.length >= 1,
        timeoutMs,
      );
      expect(seen.join('\n')).toContain('pong');
    });

    it('splits a long reply into ordered parts within maxTextLength', async () => {
      await harness.userSends('long please');
      const [message] = await next();
      const limit = harness.adapter.capabilities.maxTextLength;
      const sentence = (index: number) =>
        `Sentence number ${String(index).padStart(6, '0')} is here, plain.`;
      const sentences = Array.from(
        { length: Math.ceil((limit * 2.5) / (sentence(0).length + 1)) + 1 },
        (_, index) => sentence(index),
      );
      const text = sentences.join(' ');
      const sent = await harness.adapter.send(message!.chat, { text });
      expect(sent.platformMessageIds.length).toBeGreaterThanOrEqual(3);
      const seen = await waitFor(
        () => harness.seenTexts(),
        (texts) => texts.length >= sent.platformMessageIds.length,
        timeoutMs,
      );
      for (const part of seen) expect(part.length).toBeLessThanOrEqual(limit);
      const joined = seen.join(' ').replace(/\s+/g, ' ');
      expect(joined).toContain(sentences[0]);
      expect(joined).toContain(sentences.at(-1));
      const order = sentences.map((sentence) => joined.indexOf(sentence));
      expect(
        order.every(
          (position, index) => position >= 0 && (index === 0 || position > order[index - 1]!),
        ),
      ).toBe(true);
    });

    it('delivers button presses when it has buttons', async () => {
      await harness.userSends('choose');
      const [message] = await next();
      const chat: ChatRef = message!.chat;
      await harness.adapter.send(chat, {
        text: 'Pick one',
        buttons: [
          [
            { label: 'Yes', data: 'answer:yes' },
            { label: 'No', data: 'answer:no' },
          ],
        ],
      });
      const seen = await waitFor(
        () => harness.seenTexts(),
        (texts) => texts.length >= 1,
        timeoutMs,
      );
      expect(seen.join('\n')).toContain('Pick one');
      if (!harness.adapter.capabilities.buttons) {
        expect(harness.userPresses).toBeUndefined();
        return;
      }
      expect(harness.userPresses).toBeTypeOf('function');
      await harness.userPresses!('answer:no');
      const list = await next(2);
      expect(list[1]?.kind).toBe('button');
      expect(list[1]?.buttonData).toBe('answer:no');
    });

    if (options.users) {
      const [first, second] = options.users;
      it('tells two users apart', async () => {
        await harness.userSends('from first', first);
        await harness.userSends('from second', second);
        const list = await next(2);
        const byText = Object.fromEntries(list.map((message) => [message.text, message]));
        expect(byText['from first']?.sender.platformId).not.toBe(
          byText['from second']?.sender.platformId,
        );
        await harness.adapter.send(byText['from second']!.chat, { text: 'only for second' });
        const seenBySecond = await waitFor(
          () => harness.seenTexts(second),
          (texts) => texts.length >= 1,
          timeoutMs,
        );
        expect(seenBySecond.join('\n')).toContain('only for second');
        expect((await harness.seenTexts(first)).join('\n')).not.toContain('only for second');
      });
    }

    it('refuses to send after stop with BOTWIRE_ADAPTER_NOT_STARTED', async () => {
      await harness.userSends('bye');
      const [message] = await next();
      await harness.adapter.stop();
      const error = await harness.adapter.send(message!.chat, { text: 'too late' }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isBotwireError(error, 'BOTWIRE_ADAPTER_NOT_STARTED')).toBe(true);
    });
  });
}
