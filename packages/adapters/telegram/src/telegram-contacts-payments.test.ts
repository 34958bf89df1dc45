import {
  type AdapterHost,
  type IncomingMessage,
  isBotwireError,
  memoryStorage,
  type ScopedKeyValueStore,
  silentLogger,
} from '@botwire/core';
import { scopeKeyValueStore } from '@botwire/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type TelegramAdapter, telegramAdapter } from './telegram-adapter';
import { type BotApiPeer, startBotApiPeer } from './testing/bot-api-peer';

/**
 * What a bank's front desk needs of Telegram: the share-contact keyboard, a shared contact
 * whose number never reaches storage in plain text, editing a progress message, and a coded
 * error when the user blocked the bot.
 */
const token = '42:PEER-token';
const user = { id: 701, is_bot: false, first_name: 'Ann', language_code: 'ru' };
const chat = { id: 701, type: 'private' as const, first_name: 'Ann' };

const waitUntil = async (check: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('telegram adapter: contacts, edits and blocked users', () => {
  let peer: BotApiPeer;
  let adapter: TelegramAdapter;
  let kv: ScopedKeyValueStore;
  let received: IncomingMessage[];

  afterEach(async () => {
    await adapter?.stop();
    await peer?.stop();
  });

  const start = async (onReceive: (message: IncomingMessage) => Promise<void> = async () => {}) => {
    peer = await startBotApiPeer(token);
    received = [];
    const storage = memoryStorage();
    await storage.open();
    kv = scopeKeyValueStore(storage.kv, 'adapter:telegram');
    adapter = telegramAdapter({
      token,
      apiRoot: peer.apiRoot,
      pollDelayMs: 10,
      pollTimeoutSeconds: 1,
      commandMenu: false,
      env: {},
    });
    const host: AdapterHost = {
      receive: async (message) => {
        received.push(message);
        await onReceive(message);
      },
      end: () => {},
      commands: () => [],
      dataDir: '/nonexistent',
      http: () => {
        throw new Error('no HTTP server in polling mode');
      },
      kv,
      log: silentLogger,
    };
    await adapter.start(host);
  };

  it('asks for the contact with a one-time request_contact keyboard', async () => {
    await start();
    expect(adapter.capabilities.contactRequest).toBe(true);
    await adapter.send(
      { platformId: '701', type: 'private' },
      { text: 'Share your number', requestContact: { label: '📱 Share' } },
    );
    const [call] = peer.callsOf('sendMessage');
    const markup = call!.params.reply_markup as Record<string, unknown>;
    expect(typeof markup === 'string' ? JSON.parse(markup) : markup).toEqual({
      keyboard: [[{ text: '📱 Share', request_contact: true }]],
      resize_keyboard: true,
      one_time_keyboard: true,
    });
  });

  it('gives the handler the shared number but stores the update without it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await start(() => held);
    peer.pushUpdate({
      message: {
        message_id: 5,
        date: Math.floor(Date.now() / 1000),
        chat,
        from: user,
        contact: { phone_number: '79123456789', first_name: 'Ann', user_id: 701 },
      },
    } as never);
    await waitUntil(() => received.length === 1);
    expect(received[0]!.attachments[0]).toMatchObject({
      kind: 'contact',
      data: { phone: '79123456789', userId: '701' },
    });
    // While the update runs, the inbox holds it for a replay: without the number.
    const stored = await kv.list({ prefix: 'inbox:' });
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).toContain('"first_name":"Ann"');
    expect(JSON.stringify(stored)).not.toContain('9123456789');
    release();
  });

  it('edits a message it sent', async () => {
    await start();
    const sent = await adapter.send(
      { platformId: '701', type: 'private' },
      { text: 'Sending 0/10' },
    );
    await adapter.edit!({ platformId: '701', type: 'private' }, sent.platformMessageIds[0]!, {
      text: 'Sending 5/10',
    });
    const [edit] = peer.callsOf('editMessageText');
    expect(edit!.params).toMatchObject({
      chat_id: 701,
      message_id: Number(sent.platformMessageIds[0]),
      text: 'Sending 5/10',
    });
  });

  it('throws BOTWIRE_ADAPTER_RECIPIENT_BLOCKED when the user blocked the bot', async () => {
    await start();
    peer.failNext('sendMessage', {
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    const blocked = await adapter
      .send({ platformId: '701', type: 'private' }, { text: 'news' })
      .catch((error: unknown) => error);
    expect(isBotwireError(blocked) && blocked.code).toBe('BOTWIRE_ADAPTER_RECIPIENT_BLOCKED');
    peer.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    const other = await adapter
      .send({ platformId: '701', type: 'private' }, { text: 'news' })
      .catch((error: unknown) => error);
    expect(isBotwireError(other) && other.code).toBe('BOTWIRE_ADAPTER_FAILED');
  });
});
