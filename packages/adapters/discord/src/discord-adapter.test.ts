import {
  type AdapterHost,
  type IncomingMessage,
  isBotwireError,
  silentLogger,
} from '@botwire/core';
import { type HarnessUser, runAdapterContract } from '@botwire/core/contract-suites';
import { afterEach, describe, expect, it } from 'vitest';
import { discordAdapter } from './discord-adapter';
import { type DiscordPeer, startDiscordPeer } from './testing';

const users: [HarnessUser, HarnessUser] = [
  { userId: '110000000000000001', chatId: '210000000000000001', name: 'ann' },
  { userId: '110000000000000002', chatId: '210000000000000002', name: 'bob' },
];

runAdapterContract(
  'discord',
  async () => {
    const peer = await startDiscordPeer({ heartbeatIntervalMs: 1000 });
    for (const user of users) {
      peer.addUser(user.name!, user.userId);
      peer.openDm(user.userId, user.chatId);
    }
    const adapter = discordAdapter({
      token: peer.token,
      apiUrl: peer.apiUrl,
      registerCommands: false,
    });
    return {
      adapter,
      userSends: async (text, from = users[0]) => {
        await peer.userSends({ channelId: from.chatId, userId: from.userId, content: text });
      },
      seenTexts: async (from = users[0]) => peer.textsIn(from.chatId),
      userPresses: async (data, from = users[0]) => {
        await peer.pressButton({ channelId: from.chatId, userId: from.userId, customId: data });
      },
      close: () => peer.close(),
    };
  },
  { users },
);

/** A host that records what the adapter delivers (the Discord adapter uses neither HTTP nor storage). */
function recordingHost(
  received: IncomingMessage[],
  commands: AdapterHost['commands'] = () => [],
): AdapterHost {
  const host = {
    receive: async (message: IncomingMessage) => {
      received.push(message);
    },
    end: () => {},
    commands,
    dataDir: '/nonexistent/botwire-discord',
    http: (() => {
      throw new Error('the Discord adapter needs no HTTP server');
    }) as AdapterHost['http'],
    log: silentLogger,
  };
  return host as AdapterHost;
}

type BotwireErrorLike = Error & { hint?: string };

async function until<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('discord adapter', () => {
  let peer: DiscordPeer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  it('identifies with the token and the intents it needs, and beats the heart', async () => {
    peer = await startDiscordPeer({ heartbeatIntervalMs: 100 });
    const adapter = discordAdapter({
      env: { DISCORD_BOT_TOKEN: peer.token, DISCORD_API_URL: peer.apiUrl },
    });
    await adapter.start(recordingHost([]));
    try {
      const [identify] = peer.gateway.identifies;
      expect(identify?.token).toBe(peer.token);
      // GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT
      expect(identify?.intents).toBe(1 | (1 << 9) | (1 << 12) | (1 << 15));
      expect(peer.requests[0]).toMatchObject({ method: 'GET', path: '/gateway/bot' });
      expect(peer.requests[0]?.headers.authorization).toBe(`Bot ${peer.token}`);
      // Heartbeats carry the last sequence number: READY (1) and GUILD_CREATE (2).
      const sequences = await until(
        () => peer!.gateway.heartbeatSequences,
        (list) => list.length >= 2 && list.includes(2),
      );
      expect(sequences.every((sequence) => sequence === null || sequence <= 2)).toBe(true);
      expect(peer.gateway.heartbeats).toBe(sequences.length);
    } finally {
      await adapter.stop();
    }
  });

  it('fails to start with a coded error without a token or with a wrong one', async () => {
    const missing = await discordAdapter({ env: {} })
      .start(recordingHost([]))
      .catch((error: unknown) => error);
    expect(isBotwireError(missing, 'BOTWIRE_ADAPTER_FAILED')).toBe(true);
    expect((missing as Error).message).toContain('DISCORD_BOT_TOKEN');

    peer = await startDiscordPeer();
    const wrong = await discordAdapter({ token: 'not-the-token', apiUrl: peer.apiUrl })
      .start(recordingHost([]))
      .catch((error: unknown) => error);
    expect(isBotwireError(wrong, 'BOTWIRE_ADAPTER_FAILED')).toBe(true);
    expect(peer.requests[0]?.status).toBe(401);
  });

  it('registers the commands as slash commands with Russian descriptions', async () => {
    peer = await startDiscordPeer();
    const adapter = discordAdapter({ token: peer.token, apiUrl: peer.apiUrl });
    await adapter.start(
      recordingHost([], () => [
        { name: 'help', description: { en: 'list what I can do', ru: 'показать, что я умею' } },
        { name: 'Bad Name', description: { en: 'refused by Discord', ru: 'не годится' } },
      ]),
    );
    try {
      await until(
        () => peer!.commands,
        (commands) => commands.length > 0,
      );
      const put = peer.requests.find((request) => request.method === 'PUT');
      expect(put?.path).toBe(`/applications/${peer.applicationId}/commands`);
      expect(peer.commands).toHaveLength(1);
      expect(peer.commands[0]).toMatchObject({
        name: 'help',
        description: 'list what I can do',
        description_localizations: { ru: 'показать, что я умею' },
        contexts: [0, 1],
        options: [{ type: 3, name: 'text', required: false }],
      });
    } finally {
      await adapter.stop();
    }
  });

  it('splits code blocks so each part renders, and sends buttons as action rows', async () => {
    peer = await startDiscordPeer();
    const received: IncomingMessage[] = [];
    const adapter = discordAdapter({
      token: peer.token,
      apiUrl: peer.apiUrl,
      registerCommands: false,
    });
    await adapter.start(recordingHost(received));
    try {
      const code = Array.from(
        { length: 200 },
        (_, index) => `const line${index} = ${index}; // some code`,
      ).join('\n');
      const longData = `pick:${'x'.repeat(120)}`;
      const sent = await adapter.send(
        { platformId: peer.dmChannelId, type: 'private' },
        {
          text: `Here:\n\`\`\`ts\n${code}\n\`\`\`\nDone.`,
          buttons: [
            Array.from({ length: 7 }, (_, index) => ({ label: `B${index}`, data: `b:${index}` })),
            [
              { label: 'Long', data: longData },
              { label: 'Docs', url: 'https://example.org/docs' },
            ],
          ],
        },
      );
      const messages = peer.messagesIn(peer.dmChannelId);
      expect(sent.platformMessageIds).toEqual(messages.map((record) => record.message.id));
      expect(messages.length).toBeGreaterThanOrEqual(3);
      for (const record of messages) {
        const text = record.message.content;
        expect(text.length).toBeLessThanOrEqual(2000);
        expect((text.match(/^```/gm) ?? []).length % 2).toBe(0);
      }
      expect(messages[1]!.message.content.startsWith('```ts\n')).toBe(true);
      const last = messages.at(-1)!.message;
      const rows = last.components as {
        components: { custom_id?: string; url?: string; style: number }[];
      }[];
      expect(rows.map((row) => row.components.length)).toEqual([5, 2, 2]);
      expect(rows[2]!.components[1]).toMatchObject({ style: 5, url: 'https://example.org/docs' });
      const alias = rows[2]!.components[0]!.custom_id!;
      expect(alias.length).toBeLessThanOrEqual(100);
      await peer.pressButton({ customId: alias });
      const [press] = await until(
        () => received,
        (list) => list.length >= 1,
      );
      expect(press).toMatchObject({ kind: 'button', buttonData: longData, text: 'Long' });
      const interaction = [...peer.interactions.values()][0]!;
      expect(interaction.callbackType).toBe(6);
    } finally {
      await adapter.stop();
    }
  });

  it('maps guild messages: mention stripped, group chat, reply reference, lazy attachments', async () => {
    peer = await startDiscordPeer();
    const received: IncomingMessage[] = [];
    const adapter = discordAdapter({
      token: peer.token,
      apiUrl: peer.apiUrl,
      registerCommands: false,
      maxDownloadBytes: 8,
    });
    await adapter.start(recordingHost(received));
    try {
      const general = peer.guildChannels.general!;
      const [botMessage] = (
        await adapter.send({ platformId: general, type: 'group' }, { text: 'Earlier answer' })
      ).platformMessageIds;
      await peer.userSends({ channelId: general, content: 'nobody asked the bot' });
      await peer.userSends({
        channelId: general,
        content: `<@${peer.bot.id}>, /remind 9:00 call mum`,
        attachments: [
          { filename: 'photo.png', contentType: 'image/png', data: 'not really a png' },
        ],
      });
      await peer.userSends({ channelId: general, content: 'thanks!', replyTo: botMessage });
      const list = await until(
        () => received,
        (items) => items.length >= 2,
      );
      expect(list).toHaveLength(2);
      const [mention, reply] = list;
      expect(mention).toMatchObject({
        platform: 'discord',
        sender: { platformId: peer.user.id, name: 'Ann', username: 'ann' },
        chat: { platformId: general, type: 'group', title: 'Botwire Lab #general' },
        text: '/remind 9:00 call mum',
        command: { name: 'remind', argument: '9:00 call mum' },
      });
      const [attachment] = mention!.attachments;
      expect(attachment).toMatchObject({
        kind: 'photo',
        name: 'photo.png',
        mimeType: 'image/png',
        size: 16,
      });
      const tooBig = await attachment!.download!().catch((error: unknown) => error);
      expect(isBotwireError(tooBig, 'BOTWIRE_ADAPTER_FAILED')).toBe(true);
      expect(reply).toMatchObject({
        text: 'thanks!',
        replyTo: { platformMessageId: botMessage, text: 'Earlier answer' },
      });
    } finally {
      await adapter.stop();
    }
  });

  it('removes the "thinking…" placeholder of a slash command the bot did not answer', async () => {
    peer = await startDiscordPeer();
    const received: IncomingMessage[] = [];
    const adapter = discordAdapter({ token: peer.token, apiUrl: peer.apiUrl });
    await adapter.start(
      recordingHost(received, () => [
        { name: 'quiet', description: { en: 'say nothing', ru: 'молчать' } },
      ]),
    );
    try {
      await until(
        () => peer!.commands,
        (commands) => commands.length > 0,
      );
      const interaction = await peer.useCommand({ name: 'quiet', locale: 'ru' });
      await until(() => interaction.original?.deleted, Boolean);
      expect(interaction.callbackType).toBe(5);
      expect(received[0]).toMatchObject({
        text: '/quiet',
        command: { name: 'quiet', argument: '' },
        sender: { locale: 'ru' },
        chat: { type: 'private', platformId: peer.dmChannelId },
      });
      expect(peer.textsIn(peer.dmChannelId)).toEqual([]);
    } finally {
      await adapter.stop();
    }
  });

  it('explains a refused Message Content intent, and runs without it when told to', async () => {
    peer = await startDiscordPeer({ privilegedIntents: false });
    const refused = await discordAdapter({
      token: peer.token,
      apiUrl: peer.apiUrl,
      readyTimeoutMs: 3000,
    })
      .start(recordingHost([]))
      .catch((error: unknown) => error);
    expect(isBotwireError(refused, 'BOTWIRE_ADAPTER_FAILED')).toBe(true);
    expect((refused as BotwireErrorLike).hint).toContain('Message Content');
    expect(peer.gateway.closes.map((entry) => entry.code)).toEqual([4014]);

    const adapter = discordAdapter({
      token: peer.token,
      apiUrl: peer.apiUrl,
      messageContent: false,
      registerCommands: false,
    });
    await adapter.start(recordingHost([]));
    await adapter.stop();
    expect(peer.gateway.identifies.at(-1)?.intents).toBe(1 | (1 << 9) | (1 << 12));
  });

  it('refuses to send before start', async () => {
    const error = await discordAdapter({ token: 'x' })
      .send({ platformId: '1', type: 'private' }, { text: 'hi' })
      .catch((caught: unknown) => caught);
    expect(isBotwireError(error, 'BOTWIRE_ADAPTER_NOT_STARTED')).toBe(true);
  });
});
