import { type Bot, createBot, type InlineSkill, silentLogger } from '@botwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordAdapter } from './discord-adapter';
import { type DiscordPeer, startDiscordPeer } from './testing';

const pingedUserId = '110000000000000009';

const sentence = (index: number) =>
  `Sentence ${String(index).padStart(3, '0')} of the long answer.`;
/** About 4500 characters of sentences. */
const longText = Array.from({ length: 137 }, (_, index) => sentence(index)).join(' ');

const demoSkill: InlineSkill = {
  manifest: {
    name: 'demo',
    version: '1.0.0',
    description: 'Commands for the Discord end-to-end test.',
    tools: [
      {
        name: 'demo_echo',
        description: 'Repeats a text.',
        input_schema: {
          type: 'object',
          properties: { text: { type: 'string' } },
          additionalProperties: false,
        },
        permissions: [],
        side_effects: false,
        timeout_ms: 2000,
      },
      ...['demo_long', 'demo_shout', 'demo_file', 'demo_slow'].map((name) => ({
        name,
        description: `The ${name} fixture.`,
        input_schema: { type: 'object', properties: {} },
        permissions: [],
        side_effects: false,
        timeout_ms: 2000,
      })),
    ],
    commands: [
      {
        name: 'echo',
        tool: 'demo_echo',
        argument: 'text',
        description: { en: 'repeat a text', ru: 'повторить текст' },
      },
      { name: 'long', tool: 'demo_long', description: 'a long answer' },
      { name: 'shout', tool: 'demo_shout', description: 'mention everyone' },
      { name: 'file', tool: 'demo_file', description: 'send a file' },
      { name: 'slow', tool: 'demo_slow', description: 'answer after a second' },
    ],
  },
  definition: {
    tools: {
      demo_echo: async ({ text }: { text?: string }) => ({ text: `echo: ${text ?? ''}` }),
      demo_long: async () => ({ text: longText }),
      demo_slow: async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return { text: 'done at last' };
      },
      demo_shout: async () => ({ text: `@everyone and @here, look: <@${pingedUserId}>!` }),
      demo_file: async () => ({
        text: 'Your report.',
        artifacts: [
          {
            name: 'report.txt',
            mimeType: 'text/plain',
            data: new TextEncoder().encode('quarterly numbers'),
          },
        ],
      }),
    },
  },
};

async function until<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a bot on Discord (end to end against a local Discord)', () => {
  let peer: DiscordPeer;
  let bot: Bot;

  beforeAll(async () => {
    peer = await startDiscordPeer({ heartbeatIntervalMs: 1000 });
    peer.addUser('pinged', pingedUserId);
    bot = createBot({
      config: { storage: 'memory', access: 'open', name: 'Ada', skills: [{ use: demoSkill }] },
      adapters: [
        discordAdapter({
          env: { DISCORD_BOT_TOKEN: peer.token, DISCORD_API_URL: peer.apiUrl },
          channels: ['random'],
        }),
      ],
      log: silentLogger,
    });
    bot.use(async (context, next) => {
      const [attachment] = context.message.attachments;
      if (!attachment?.download) return next();
      const bytes = await attachment.download();
      await context.reply(
        `got ${attachment.name} (${attachment.mimeType}, ${bytes.byteLength} bytes): ${new TextDecoder().decode(bytes)}`,
      );
    });
    await bot.start();
    await until(
      () => peer.commands.map((command) => command.name),
      (names) => names.includes('echo'),
    );
  });

  afterAll(async () => {
    await bot?.stop();
    await peer?.close();
  });

  it('registers the skill commands and answers a slash command through the deferred reply', async () => {
    const echo = peer.commands.find((command) => command.name === 'echo');
    expect(echo).toMatchObject({
      description: 'repeat a text',
      description_localizations: { ru: 'повторить текст' },
    });
    expect(peer.commands.map((command) => command.name)).toContain('help');

    const interaction = await peer.useCommand({ name: 'echo', options: { text: 'hi there' } });
    await until(
      () => interaction.original,
      (original) => Boolean(original && !original.loading),
    );
    expect(interaction.callbackType).toBe(5);
    expect(interaction.callbackAfterMs).toBeLessThan(3000);
    expect(interaction.original?.message.content).toBe('echo: hi there');
    expect(interaction.original?.allowedMentions).toEqual({ parse: [], replied_user: false });
    const edit = peer.requests.find((request) => request.method === 'PATCH');
    expect(edit?.path).toBe(
      `/webhooks/${peer.applicationId}/${interaction.token}/messages/%40original`,
    );
    expect(peer.textsIn(peer.dmChannelId)).toEqual(['echo: hi there']);
  });

  it('answers in a guild channel when mentioned, and every message in a configured channel', async () => {
    const general = peer.guildChannels.general!;
    const random = peer.guildChannels.random!;
    await peer.userSends({ channelId: general, content: '/echo not for the bot' });
    await peer.userSends({ channelId: general, content: `<@${peer.bot.id}> /echo ping` });
    await peer.userSends({ channelId: random, content: '/echo free for all' });
    await until(
      () => peer.textsIn(general),
      (texts) => texts.length >= 1,
    );
    await until(
      () => peer.textsIn(random),
      (texts) => texts.length >= 1,
    );
    expect(peer.textsIn(general)).toEqual(['echo: ping']);
    expect(peer.textsIn(random)).toEqual(['echo: free for all']);
    // Instant replies: no typing indicator.
    expect(peer.typing).toEqual([]);
    // A reply to the bot's message is addressed to the bot too.
    const [answer] = peer.messagesIn(general);
    await peer.userSends({
      channelId: general,
      content: '/echo threaded',
      replyTo: answer!.message.id,
    });
    await until(
      () => peer.textsIn(general),
      (texts) => texts.length >= 2,
    );
    expect(peer.textsIn(general)).toEqual(['echo: ping', 'echo: threaded']);
  });

  it('shows typing once for a reply that takes a second', async () => {
    const typedBefore = peer.typing.length;
    const before = peer.textsIn(peer.dmChannelId).length;
    await peer.userSends({ content: '/slow' });
    await until(
      () => peer.textsIn(peer.dmChannelId).slice(before),
      (list) => list.length >= 1,
    );
    expect(peer.typing.slice(typedBefore)).toEqual([peer.dmChannelId]);
  });

  it('splits a 4500-character reply into 3 ordered parts of at most 2000', async () => {
    const before = peer.textsIn(peer.dmChannelId).length;
    await peer.userSends({ content: '/long' });
    const texts = await until(
      () => peer.textsIn(peer.dmChannelId).slice(before),
      (list) => list.length >= 3,
    );
    expect(longText.length).toBeGreaterThan(4400);
    expect(texts).toHaveLength(3);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(2000);
    expect(texts.join(' ')).toBe(longText);
  });

  it('sends @everyone and user mentions with every mention disabled', async () => {
    await peer.userSends({ content: '/shout' });
    const record = await until(
      () =>
        peer
          .messagesIn(peer.dmChannelId)
          .find((each) => each.message.content.includes('@everyone')),
      Boolean,
    );
    expect(record!.message.content).toBe(`@everyone and @here, look: <@${pingedUserId}>!`);
    expect(record!.allowedMentions).toEqual({ parse: [], replied_user: false });
    expect(record!.message.mention_everyone).toBe(false);
    expect(record!.message.mentions).toEqual([]);
    // Every message the bot sent so far carried the same rule.
    for (const each of peer.sent)
      expect((each.allowedMentions as { parse: unknown[] }).parse).toEqual([]);
  });

  it('downloads an attachment from the CDN and uploads a file as multipart', async () => {
    await peer.userSends({
      content: '',
      attachments: [{ filename: 'notes.txt', contentType: 'text/plain', data: 'twelve bytes' }],
    });
    await until(
      () => peer.textsIn(peer.dmChannelId),
      (texts) => texts.some((text) => text.startsWith('got notes.txt')),
    );
    expect(peer.textsIn(peer.dmChannelId)).toContain(
      'got notes.txt (text/plain, 12 bytes): twelve bytes',
    );
    const download = peer.requests.find((request) => request.path.startsWith('/attachments/'));
    expect(download?.status).toBe(200);

    await peer.userSends({ content: '/file' });
    const record = await until(
      () => peer.messagesIn(peer.dmChannelId).find((each) => each.files.length > 0),
      Boolean,
    );
    expect(record!.message.content).toBe('Your report.');
    expect(record!.files.map((file) => [file.name, file.size])).toEqual([['report.txt', 17]]);
    expect(new TextDecoder().decode(record!.files[0]!.data)).toBe('quarterly numbers');
    const upload = peer.requests.find((request) => request.files.length > 0);
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(upload?.files[0]).toMatchObject({ field: 'files[0]', name: 'report.txt' });
    expect(upload?.body).toMatchObject({
      allowed_mentions: { parse: [] },
      attachments: [{ id: '0' }],
    });
  });

  it('sends the result of work asked for in the background to the same DM, with its file', async () => {
    const before = peer.messagesIn(peer.dmChannelId).length;
    await peer.userSends({ content: '/file in the background' });
    const [queued, result] = await until(
      () => peer.messagesIn(peer.dmChannelId).slice(before),
      (records) => records.length >= 2,
    );
    expect(queued!.message.content).toMatch(/^Queued: I'm doing it in the background/);
    expect(queued!.files).toEqual([]);
    expect(result!.message.content).toBe('Your report.');
    expect(result!.files.map((file) => file.name)).toEqual(['report.txt']);
  });

  it('waits out a 429 and sends the reply on the retry', async () => {
    const path = `/channels/${peer.dmChannelId}/messages`;
    peer.push({
      method: 'POST',
      route: '/channels/:channel/messages',
      status: 429,
      retryAfter: 0.25,
    });
    await peer.userSends({ content: '/echo after the limit' });
    await until(
      () => peer.textsIn(peer.dmChannelId),
      (texts) => texts.includes('echo: after the limit'),
    );
    const posts = peer.requests.filter(
      (request) => request.method === 'POST' && request.path === path,
    );
    const limited = posts.findIndex((request) => request.status === 429);
    expect(limited).toBeGreaterThanOrEqual(0);
    expect(posts[limited + 1]?.status).toBe(200);
    // discord.js waited until the bucket reset (X-RateLimit-Reset-After) before retrying.
    expect(posts[limited + 1]!.at - posts[limited]!.at).toBeGreaterThanOrEqual(240);
    expect((posts[limited + 1]!.body as { content?: string }).content).toBe(
      'echo: after the limit',
    );
  });

  it('calls no route the peer does not know', () => {
    expect(peer.unknownRoutes).toEqual([]);
  });
});
