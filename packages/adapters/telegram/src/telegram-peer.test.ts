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
import type { TelegramAdapterOptions } from './telegram-options';
import { type BotApiPeer, startBotApiPeer } from './testing/bot-api-peer';

const token = '42:PEER-token';
const user = {
  id: 501,
  is_bot: false,
  first_name: 'Ann',
  last_name: 'Lee',
  username: 'ann',
  language_code: 'ru',
};
const chat = { id: 501, type: 'private' as const, first_name: 'Ann' };
const at = Math.floor(Date.now() / 1000);

const waitUntil = async (check: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('telegram adapter against a local Bot API peer', () => {
  let peer: BotApiPeer;
  let adapter: TelegramAdapter;
  let received: IncomingMessage[];
  let kv: ScopedKeyValueStore;

  afterEach(async () => {
    await adapter?.stop();
    await peer?.stop();
  });

  const start = async (
    options: Partial<TelegramAdapterOptions> = {},
    onReceive: (message: IncomingMessage) => Promise<void> = async () => {},
    wrapKv: (kv: ScopedKeyValueStore) => ScopedKeyValueStore = (each) => each,
  ) => {
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
      throttle: { privatePerSecond: 100, burst: 20 },
      env: {},
      ...options,
    });
    const host: AdapterHost = {
      receive: async (message) => {
        received.push(message);
        await onReceive(message);
      },
      end: () => {},
      commands: () => [
        { name: 'help', description: { en: 'list what I can do', ru: 'что я умею' } },
        { name: 'remind', description: { en: 'remind me', ru: 'напомнить' } },
        { name: 'Bad-Name', description: { en: 'not a Telegram command', ru: 'нет' } },
      ],
      dataDir: '/nonexistent',
      http: () => {
        throw new Error('no HTTP server in polling mode');
      },
      kv: wrapKv(kv),
      log: silentLogger,
    };
    await adapter.start(host);
  };

  it('translates photos, voice, documents, contacts and replies, downloading files lazily', async () => {
    await start();
    peer.addFile('photo-big', new Uint8Array([1, 2, 3, 4]));
    peer.addFile('doc-1', new TextEncoder().encode('%PDF-1.4 hello'));
    peer.pushUpdate({
      message: {
        message_id: 10,
        date: at,
        chat,
        from: user,
        caption: 'look',
        photo: [
          { file_id: 'photo-small', file_unique_id: 's', width: 90, height: 90, file_size: 1 },
          { file_id: 'photo-big', file_unique_id: 'b', width: 900, height: 900, file_size: 4 },
        ],
        reply_to_message: { message_id: 9, date: at, chat, text: 'earlier' },
      },
    } as never);
    peer.pushUpdate({
      message: {
        message_id: 11,
        date: at,
        chat,
        from: user,
        voice: { file_id: 'voice-1', file_unique_id: 'v', duration: 3, mime_type: 'audio/ogg' },
      },
    } as never);
    peer.pushUpdate({
      message: {
        message_id: 12,
        date: at,
        chat,
        from: user,
        document: {
          file_id: 'doc-1',
          file_unique_id: 'd',
          file_name: 'a.pdf',
          mime_type: 'application/pdf',
          file_size: 14,
        },
      },
    } as never);
    peer.pushUpdate({
      message: {
        message_id: 13,
        date: at,
        chat,
        from: user,
        contact: { phone_number: '+100', first_name: 'Bob', user_id: 9 },
      },
    } as never);
    await waitUntil(() => received.length === 4);
    expect(peer.callsOf('getFile')).toEqual([]);
    const [photo, voice, document, contact] = received;
    expect(photo).toMatchObject({
      platform: 'telegram',
      platformMessageId: '10',
      text: 'look',
      kind: 'message',
      sender: { platformId: '501', name: 'Ann Lee', username: 'ann', locale: 'ru' },
      chat: { platformId: '501', type: 'private' },
      replyTo: { platformMessageId: '9', text: 'earlier' },
    });
    expect(photo!.attachments).toMatchObject([{ kind: 'photo', platformId: 'photo-big', size: 4 }]);
    expect(await photo!.attachments[0]!.download!()).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(voice!.attachments).toMatchObject([
      { kind: 'voice', mimeType: 'audio/ogg', data: { duration: 3 } },
    ]);
    expect(document!.attachments).toMatchObject([
      { kind: 'document', name: 'a.pdf', mimeType: 'application/pdf' },
    ]);
    expect(new TextDecoder().decode(await document!.attachments[0]!.download!())).toBe(
      '%PDF-1.4 hello',
    );
    expect(contact!.attachments).toEqual([
      { kind: 'contact', name: 'Bob', data: { phone: '+100', firstName: 'Bob', userId: '9' } },
    ]);
    expect(peer.callsOf('getFile').map((call) => call.params.file_id)).toEqual([
      'photo-big',
      'doc-1',
    ]);
  });

  it('refuses a download over the size limit, before or while fetching', async () => {
    await start({ maxDownloadBytes: 10 });
    peer.addFile('big', new Uint8Array(64));
    peer.pushUpdate({
      message: {
        message_id: 1,
        date: at,
        chat,
        from: user,
        document: { file_id: 'big', file_unique_id: 'b', file_size: 64 },
      },
    } as never);
    peer.pushUpdate({
      message: {
        message_id: 2,
        date: at,
        chat,
        from: user,
        document: { file_id: 'big', file_unique_id: 'b' },
      },
    } as never);
    await waitUntil(() => received.length === 2);
    const announced = await received[0]!.attachments[0]!.download!().catch(
      (error: unknown) => error,
    );
    expect(isBotwireError(announced, 'BOTWIRE_ADAPTER_FAILED')).toBe(true);
    expect(peer.callsOf('getFile')).toEqual([]);
    const unannounced = await received[1]!.attachments[0]!.download!().catch(
      (error: unknown) => error,
    );
    expect(String((unannounced as Error).message)).toMatch(/64 bytes, more than the limit of 10/);
    expect(peer.callsOf('getFile')).toHaveLength(1);
  });

  it('ignores commands for another bot and parses its own /cmd@bot', async () => {
    await start();
    peer.pushUpdate({
      message: {
        message_id: 1,
        date: at,
        chat: { id: -5, type: 'group', title: 'G' },
        from: user,
        text: '/help@OtherBot',
      },
    } as never);
    peer.pushUpdate({
      message: {
        message_id: 2,
        date: at,
        chat: { id: -5, type: 'group', title: 'G' },
        from: user,
        text: '/remind@PeerBot 9:00 tea',
      },
    } as never);
    await waitUntil(() => received.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      command: { name: 'remind', argument: '9:00 tea' },
      chat: { platformId: '-5', type: 'group', title: 'G' },
    });
  });

  it('shows no typing for an instant reply, and typing once for a reply that takes a second', async () => {
    const reply = (text: string) =>
      adapter.send({ platformId: '501', type: 'private' }, { text }).then(() => undefined);
    await start({}, async (message) => {
      if (message.text === 'slow') await new Promise((resolve) => setTimeout(resolve, 1_000));
      await reply(`re: ${message.text}`);
    });
    peer.pushUpdate({
      message: { message_id: 1, date: at, chat, from: user, text: 'fast' },
    } as never);
    await waitUntil(() => peer.callsOf('sendMessage').length === 1);
    // Past the half second the indicator waits for: the instant reply cancelled it.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(peer.callsOf('sendChatAction')).toEqual([]);

    peer.pushUpdate({
      message: { message_id: 2, date: at, chat, from: user, text: 'slow' },
    } as never);
    await waitUntil(() => peer.callsOf('sendMessage').length === 2);
    const actions = peer.callsOf('sendChatAction');
    expect(actions.map((call) => call.params)).toEqual([{ chat_id: 501, action: 'typing' }]);
    // Sent before the reply, and not again after it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(peer.callsOf('sendChatAction')).toHaveLength(1);
  });

  it('shows typing while the bot works and publishes the command menu in English and Russian', async () => {
    let release!: () => void;
    const working = new Promise<void>((resolve) => {
      release = resolve;
    });
    await start({}, () => working);
    peer.pushUpdate({
      message: { message_id: 1, date: at, chat, from: user, text: 'hi' },
    } as never);
    await waitUntil(() => peer.callsOf('sendChatAction').length > 0);
    expect(peer.callsOf('sendChatAction')[0]!.params).toMatchObject({
      chat_id: 501,
      action: 'typing',
    });
    release();
    await waitUntil(() => peer.callsOf('setMyCommands').length === 3);
    const menus = peer.callsOf('setMyCommands').map((call) => call.params);
    expect(menus[0]).toEqual({
      commands: [
        { command: 'help', description: 'list what I can do' },
        { command: 'remind', description: 'remind me' },
      ],
    });
    expect(menus[1]).toMatchObject({ language_code: 'en' });
    expect(menus[2]).toEqual({
      language_code: 'ru',
      commands: [
        { command: 'help', description: 'что я умею' },
        { command: 'remind', description: 'напомнить' },
      ],
    });
  });

  it('sends photos and documents as uploads, captions within 1024, buttons under the last one', async () => {
    await start();
    const png = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    const longCaption = `${'word '.repeat(300)}end.`;
    const sent = await adapter.send(
      { platformId: '501', type: 'private' },
      {
        text: 'Here are your files',
        artifacts: [
          { name: 'chart.png', mimeType: 'image/png', data: png, caption: 'The chart' },
          {
            name: 'report.pdf',
            mimeType: 'application/pdf',
            data: new TextEncoder().encode('%PDF'),
            caption: longCaption,
          },
        ],
        buttons: [[{ label: 'Again', data: 'again' }]],
      },
    );
    const [text] = peer.callsOf('sendMessage');
    const [photo] = peer.callsOf('sendPhoto');
    const [document] = peer.callsOf('sendDocument');
    expect(text!.params.text).toBe('Here are your files');
    expect(text!.params.reply_markup).toBeUndefined();
    expect(photo!.files.photo).toMatchObject({ name: 'chart.png', bytes: png });
    expect(photo!.params.caption).toBe('The chart');
    expect(document!.files.document!.name).toBe('report.pdf');
    expect(new TextDecoder().decode(document!.files.document!.bytes)).toBe('%PDF');
    expect(String(document!.params.caption).length).toBeLessThanOrEqual(1024);
    const rest = peer.callsOf('sendMessage')[1]!;
    expect(`${document!.params.caption} ${rest.params.text}`.replace(/\s+/g, ' ')).toBe(
      longCaption.replace(/\s+/g, ' ').trim(),
    );
    expect(rest.params.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Again', callback_data: 'again' }]],
    });
    expect(sent.platformMessageIds).toHaveLength(4);
  });

  it('reports the write of a send once, in the step its first request leaves (onWrite)', async () => {
    await start();
    expect(adapter.capabilities.reportsWrites).toBe(true);
    const writes: number[] = [];
    let settled = false;
    const sending = adapter.send(
      { platformId: '501', type: 'private' },
      {
        text: 'Here is the chart',
        artifacts: [{ name: 'chart.png', mimeType: 'image/png', data: new Uint8Array([137, 80]) }],
      },
      { onWrite: () => writes.push(settled ? 1 : 0) },
    );
    void sending.then(() => {
      settled = true;
    });
    const sent = await sending;
    // Two requests (the text, then the photo), one report, made before the send resolved.
    expect(sent.platformMessageIds).toHaveLength(2);
    expect(writes).toEqual([0]);
    // A send without onWrite reports nothing.
    await adapter.send({ platformId: '501', type: 'private' }, { text: 'plain' });
    expect(writes).toEqual([0]);
  });

  it('says it cannot report writes when a custom fetch bypasses the HTTP agent', async () => {
    await start({ client: { fetch: globalThis.fetch as never } });
    expect(adapter.capabilities.reportsWrites).toBeFalsy();
    await adapter.send({ platformId: '501', type: 'private' }, { text: 'still sent' });
    expect(peer.callsOf('sendMessage').map((call) => call.params.text)).toEqual(['still sent']);
  });

  it('waits out a 429 for retry_after, then sends', async () => {
    await start();
    peer.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    await adapter.send({ platformId: '501', type: 'private' }, { text: 'patience' });
    const attempts = peer.callsOf('sendMessage');
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('falls back to plain text when Telegram rejects the HTML', async () => {
    await start();
    peer.failNext('sendMessage', {
      error_code: 400,
      description: "Bad Request: can't parse entities: unclosed tag",
    });
    await adapter.send(
      { platformId: '501', type: 'private' },
      { text: '**bold** & <tag>', format: 'markdown' },
    );
    const [first, second] = peer.callsOf('sendMessage');
    expect(first!.params).toMatchObject({
      parse_mode: 'HTML',
      text: '<b>bold</b> &amp; &lt;tag&gt;',
      link_preview_options: { is_disabled: true },
    });
    expect(second!.params.parse_mode).toBeUndefined();
    expect(second!.params.text).toBe('bold & <tag>');
  });

  it('keeps button data longer than 64 bytes in storage and returns it on a press', async () => {
    await start();
    const data = `choose:${'x'.repeat(100)}`;
    await adapter.send(
      { platformId: '501', type: 'private' },
      { text: 'Pick', buttons: [[{ label: 'Long', data }]] },
    );
    const markup = peer.callsOf('sendMessage')[0]!.params.reply_markup as {
      inline_keyboard: Array<Array<{ callback_data: string }>>;
    };
    const short = markup.inline_keyboard[0]![0]!.callback_data;
    expect(Buffer.byteLength(short)).toBeLessThanOrEqual(64);
    peer.pushUpdate({
      callback_query: {
        id: 'cb1',
        from: user,
        chat_instance: 'c',
        data: short,
        message: { message_id: 3, date: at, chat, text: 'Pick' },
      },
    } as never);
    await waitUntil(() => received.length === 1);
    expect(received[0]).toMatchObject({
      kind: 'button',
      buttonData: data,
      replyTo: { platformMessageId: '3' },
    });
    await waitUntil(() => peer.callsOf('answerCallbackQuery').length === 1);
  });

  it('confirms a polled update to Telegram only after it is in storage', async () => {
    let failures = 2;
    await start(
      {},
      async () => {},
      (inner) => ({
        ...inner,
        add: async (key, value, options) => {
          if (key.startsWith('inbox:') && failures-- > 0) throw new Error('storage is down');
          return inner.add(key, value, options);
        },
      }),
    );
    const id = peer.pushUpdate({
      message: { message_id: 1, date: at, chat, from: user, text: 'keep me' },
    } as never);
    await waitUntil(() => received.length === 1);
    expect(received[0]!.text).toBe('keep me');
    // While storing failed, the poller asked again without confirming (offset stayed at or below the id).
    const offsets = peer.callsOf('getUpdates').map((call) => Number(call.params.offset));
    const confirmedAt = offsets.findIndex((offset) => offset > id);
    const fetchedAgain = offsets
      .slice(0, confirmedAt === -1 ? undefined : confirmedAt)
      .filter((offset) => offset <= id);
    expect(fetchedAgain.length).toBeGreaterThanOrEqual(3);
    expect(await kv.get(`done:${id}`)).toBeTypeOf('number');
  });
});
