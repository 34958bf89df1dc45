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
 * What a bank's front desk and a paid studio need of Telegram: the share-contact keyboard, a
 * shared contact whose number never reaches storage in plain text, editing a progress message,
 * a coded error when the user blocked the bot, and payments in Telegram Stars (invoice,
 * pre-checkout, successful payment).
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

describe('telegram adapter: contacts, edits, blocked users and payments', () => {
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

  it('sends a voice message with its duration after the text, and the buttons on it when it is alone', async () => {
    await start();
    expect(adapter.capabilities.voice).toBe(true);
    const ogg = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 1, 2, 3]);
    await adapter.send(
      { platformId: '701', type: 'private' },
      { text: 'Listen:', voice: { data: ogg, mimeType: 'audio/ogg', durationSeconds: 2.4 } },
    );
    const [text] = peer.callsOf('sendMessage');
    const [voice] = peer.callsOf('sendVoice');
    expect(text!.params.text).toBe('Listen:');
    expect(Number(voice!.params.duration)).toBe(2);
    expect(Buffer.from(voice!.files.voice!.bytes).equals(Buffer.from(ogg))).toBe(true);
    expect(voice!.at).toBeGreaterThanOrEqual(text!.at);
    await adapter.send(
      { platformId: '701', type: 'private' },
      {
        text: '',
        voice: { data: ogg, mimeType: 'audio/ogg' },
        buttons: [[{ label: 'Again', data: 'again' }]],
      },
    );
    expect(peer.callsOf('sendMessage')).toHaveLength(1);
    const alone = peer.callsOf('sendVoice')[1]!.params;
    const markup =
      typeof alone.reply_markup === 'string' ? JSON.parse(alone.reply_markup) : alone.reply_markup;
    expect(markup.inline_keyboard[0][0].text).toBe('Again');
  });

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

  it('sends a Telegram Stars invoice', async () => {
    await start();
    expect(adapter.capabilities.payments).toBe(true);
    await adapter.send(
      { platformId: '701', type: 'private' },
      {
        text: 'Top up your balance',
        invoice: {
          title: '100 credits',
          description: 'Credits for avatars',
          payload: 'credits:100',
          currency: 'XTR',
          amount: 50,
        },
      },
    );
    const [invoice] = peer.callsOf('sendInvoice');
    const prices = invoice!.params.prices;
    expect(invoice!.params).toMatchObject({
      chat_id: 701,
      title: '100 credits',
      payload: 'credits:100',
      currency: 'XTR',
    });
    expect(typeof prices === 'string' ? JSON.parse(prices) : prices).toEqual([
      { label: '100 credits', amount: 50 },
    ]);
    expect(peer.callsOf('sendMessage')).toHaveLength(1);
  });

  it('lets the bot approve a pre-checkout query, and declines one nobody answered', async () => {
    await start(async (message) => {
      if (message.payment?.payload === 'credits:100') await message.payment.answer!(true);
    });
    const query = (id: string, payload: string) =>
      peer.pushUpdate({
        pre_checkout_query: {
          id,
          from: user,
          currency: 'XTR',
          total_amount: 50,
          invoice_payload: payload,
        },
      } as never);
    query('q-1', 'credits:100');
    await waitUntil(() => peer.callsOf('answerPreCheckoutQuery').length === 1);
    expect(received[0]).toMatchObject({
      kind: 'payment',
      chat: { platformId: '701', type: 'private' },
      payment: { stage: 'check', payload: 'credits:100', currency: 'XTR', amount: 50 },
    });
    expect(peer.callsOf('answerPreCheckoutQuery')[0]!.params).toMatchObject({
      pre_checkout_query_id: 'q-1',
      ok: true,
    });
    query('q-2', 'something-else');
    await waitUntil(() => peer.callsOf('answerPreCheckoutQuery').length === 2);
    const declined = peer.callsOf('answerPreCheckoutQuery')[1]!.params;
    expect(declined).toMatchObject({ pre_checkout_query_id: 'q-2', ok: false });
    expect(String(declined.error_message)).toMatch(/cannot take this payment/);
  });

  it('reports a successful payment with Telegram’s charge id', async () => {
    await start();
    peer.pushUpdate({
      message: {
        message_id: 9,
        date: Math.floor(Date.now() / 1000),
        chat,
        from: user,
        successful_payment: {
          currency: 'XTR',
          total_amount: 50,
          invoice_payload: 'credits:100',
          telegram_payment_charge_id: 'charge-77',
          provider_payment_charge_id: '',
        },
      },
    } as never);
    await waitUntil(() => received.length === 1);
    expect(received[0]).toMatchObject({
      kind: 'payment',
      payment: { stage: 'paid', payload: 'credits:100', amount: 50, chargeId: 'charge-77' },
    });
  });
});
