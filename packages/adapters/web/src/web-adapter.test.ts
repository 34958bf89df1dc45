import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Adapter,
  type AdapterHost,
  type Bot,
  createBot,
  silentLogger,
  sqliteStorage,
} from '@botwire/core';
import { type HarnessUser, runAdapterContract } from '@botwire/core/contract-suites';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webAdapter } from './web-adapter';
import {
  demoMiddleware,
  demoSkill,
  type Frame,
  openSocket,
  post,
  reportBytes,
} from './web-test-kit';

// The contract, through the adapter's real HTTP API and WebSocket: the default user is the owner
// (owner token); named users sign in with invitations the owner creates.
runAdapterContract(
  'web',
  async () => {
    const adapter = webAdapter({ artifactDir: false });
    let base = '';
    let ownerToken = '';
    const tokens = new Map<string, string>();
    const tokenOf = async (from?: HarnessUser) => {
      if (!from) return ownerToken;
      let token = tokens.get(from.userId);
      if (!token) {
        const response = await post(
          `${base}/api/v1/invitations`,
          { name: from.userId },
          ownerToken,
        );
        token = ((await response.json()) as { token: string }).token;
        tokens.set(from.userId, token);
      }
      return token;
    };
    const submit = async (body: Record<string, string>, from?: HarnessUser) => {
      const response = await post(`${base}/api/v1/chat`, body, await tokenOf(from));
      if (!response.ok) throw new Error(`POST /api/v1/chat: ${response.status}`);
    };
    return {
      adapter,
      started(host) {
        base = host.http().url;
        ownerToken = host.http().token;
      },
      userSends: (text, from) => submit({ text }, from),
      userPresses: (data, from) => submit({ button: data }, from),
      async seenTexts(from) {
        const socket = openSocket(base, { token: await tokenOf(from) });
        const ready = await socket.next((frame) => frame.type === 'ready');
        await socket.close();
        return (ready.history as Frame[])
          .filter((event) => event.from === 'bot')
          .map((event) => event.text as string);
      },
    };
  },
  {
    users: [
      { userId: 'ann', chatId: 'ann' },
      { userId: 'bob', chatId: 'bob' },
    ],
  },
);

describe('web adapter with a bot', () => {
  const ownerToken = 'owner-token-for-tests-0123456789';
  let bot: Bot;
  let adapter: Adapter;
  let base: string;
  let artifactDir: string;

  beforeAll(async () => {
    artifactDir = mkdtempSync(join(tmpdir(), 'botwire-web-'));
    adapter = webAdapter({ artifactDir });
    bot = createBot({
      config: {
        storage: 'memory',
        name: 'Ada',
        http: { port: 0, token: ownerToken },
        skills: [{ use: demoSkill }],
      },
      adapters: [adapter],
      log: silentLogger,
    });
    bot.use(demoMiddleware);
    await bot.start();
    base = bot.http().url;
  });

  afterAll(async () => {
    await bot.stop();
    rmSync(artifactDir, { recursive: true, force: true });
  });

  const sockets: ReturnType<typeof openSocket>[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) await socket.close();
  });

  const chat = async (token: string | undefined, body: unknown) => {
    const response = await post(`${base}/api/v1/chat`, body, token);
    return { status: response.status, body: (await response.json()) as Frame };
  };
  const invite = async (name?: string) => {
    const response = await post(`${base}/api/v1/invitations`, name ? { name } : {}, ownerToken);
    expect(response.status).toBe(201);
    return (await response.json()) as { token: string; invitation: { id: string }; url: string };
  };
  const download = (url: string, token?: string) =>
    fetch(`${base}${url}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('answers 401 without a token or with an unknown one', async () => {
    expect((await chat(undefined, { text: 'hi' })).status).toBe(401);
    const wrong = await chat('not-a-token', { text: 'hi' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('BOTWIRE_ACCESS_DENIED');
    expect((await fetch(`${base}/api/v1/invitations`)).status).toBe(401);
    expect((await download('/api/v1/artifacts/AAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(401);
  });

  it('answers the owner with the replies of one message, as the owner', async () => {
    const { status, body } = await chat(ownerToken, { text: '/whoami' });
    expect(status).toBe(200);
    expect(body.replies).toHaveLength(1);
    expect(body.replies[0].text).toMatch(/Your id: usr_\w+\nRole: owner/);
    expect(body.replies[0].artifacts).toEqual([]);
    const buttons = await chat(ownerToken, { text: '/choose' });
    expect(buttons.body.replies[0].buttons[0].map((button: Frame) => button.data)).toEqual([
      'colour:red',
      'colour:blue',
    ]);
    const pressed = await chat(ownerToken, { button: 'colour:blue' });
    expect(pressed.body.replies.map((reply: Frame) => reply.text)).toEqual(['You picked blue.']);
  });

  it('rejects bodies that are not a message', async () => {
    expect((await chat(ownerToken, 'not json')).status).toBe(400);
    expect((await chat(ownerToken, { text: '  ' })).status).toBe(400);
    expect((await chat(ownerToken, { text: 'x'.repeat(20_001) })).status).toBe(400);
    expect((await chat(ownerToken, { text: 'hi', userId: 'bad id with spaces' })).status).toBe(400);
  });

  it('serves files to the user they were sent to, and to nobody else', async () => {
    const { body } = await chat(ownerToken, { text: '/report' });
    const [artifact] = body.replies[0].artifacts;
    expect(artifact).toMatchObject({ name: 'report.txt', mimeType: 'text/plain' });
    expect(artifact.url).toMatch(/^\/api\/v1\/artifacts\/[\w-]{24}$/);
    const response = await download(artifact.url, ownerToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('attachment');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(reportBytes);

    const guest = await invite('Gus');
    expect((await download(artifact.url, guest.token)).status).toBe(404);
    expect((await download(artifact.url)).status).toBe(401);
    expect((await download('/api/v1/artifacts/AAAAAAAAAAAAAAAAAAAAAAAA', ownerToken)).status).toBe(
      404,
    );

    const own = await chat(guest.token, { text: '/report' });
    const guestFile = own.body.replies[0].artifacts[0];
    expect((await download(guestFile.url, guest.token)).status).toBe(200);
    expect((await download(guestFile.url, ownerToken)).status).toBe(404);
  });

  it('lets invited people in as users, and the owner revoke them', async () => {
    const { token, invitation, url } = await invite('Ann');
    expect(url).toBe(`/#token=${token}`);
    const first = await chat(token, { text: '/whoami' });
    expect(first.body.replies[0].text).toMatch(/Role: user/);
    const userId = /Your id: (usr_\w+)/.exec(first.body.replies[0].text)?.[1];

    expect((await post(`${base}/api/v1/invitations`, {}, token)).status).toBe(403);
    expect(
      (await fetch(`${base}/api/v1/invitations`, { headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(403);
    expect((await chat(token, { text: 'hi', userId: 'someone' })).status).toBe(403);

    const list = await fetch(`${base}/api/v1/invitations`, {
      headers: { authorization: `Bearer ${ownerToken}` },
    });
    const { invitations } = (await list.json()) as { invitations: Frame[] };
    expect(invitations.find((each) => each.id === invitation.id)).toMatchObject({
      name: 'Ann',
      admitted: true,
    });
    expect(JSON.stringify(invitations)).not.toContain(token);

    // A /revoke by the owner sticks: the invitation does not admit its holder again.
    await chat(ownerToken, { text: `/revoke ${userId}` });
    const after = await chat(token, { text: '/whoami' });
    expect(after.body.replies[0].text).toContain('This bot is private');

    const removed = await fetch(`${base}/api/v1/invitations/${invitation.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ownerToken}` },
    });
    expect(removed.status).toBe(204);
    expect((await chat(token, { text: 'hi' })).status).toBe(401);
  });

  it('stores invitation tokens only as hashes', async () => {
    const { token } = await invite('Hash');
    const entries = await bot.storage.kv.list('adapter:web');
    expect(entries.length).toBeGreaterThan(0);
    expect(JSON.stringify(entries)).not.toContain(token);
  });

  it('lets the owner token act for a user of its own site, who is not the owner', async () => {
    const { body } = await chat(ownerToken, { text: '/whoami', userId: 'visitor-7' });
    expect(body.replies[0].text).toContain('This bot is private');
  });

  it('streams replies over the WebSocket and pushes proactive messages', async () => {
    const socket = openSocket(base, { token: ownerToken, since: 0 });
    sockets.push(socket);
    const ready = await socket.next((frame) => frame.type === 'ready');
    expect(ready.user).toMatchObject({ id: 'owner', owner: true });
    socket.send({ type: 'message', text: '/whoami', clientId: 'c1' });
    const echo = await socket.next((frame) => frame.type === 'message' && frame.clientId === 'c1');
    expect(echo.from).toBe('user');
    const reply = await socket.next(
      (frame) => frame.type === 'message' && frame.from === 'bot' && frame.seq > echo.seq,
    );
    expect(reply.text).toMatch(/Role: owner/);

    await bot.deliver(adapter, { platformId: 'owner', type: 'private' }, { text: 'Time for tea' });
    const pushed = await socket.next((frame) => frame.text === 'Time for tea');
    expect(pushed.from).toBe('bot');

    // A page that reconnects gets what it missed, and nothing twice.
    const again = openSocket(base, { token: ownerToken, since: echo.seq, epoch: ready.epoch });
    sockets.push(again);
    const resumed = await again.next((frame) => frame.type === 'ready');
    expect(resumed.reset).toBe(false);
    expect(resumed.history.map((event: Frame) => event.seq)).toEqual([reply.seq, pushed.seq]);
  });

  it('sends the result of background work as a job_result event over the WebSocket, with its file', async () => {
    const socket = openSocket(base, { token: ownerToken, since: 0 });
    sockets.push(socket);
    await socket.next((frame) => frame.type === 'ready');
    const { status, body } = await chat(ownerToken, { text: '/report, in the background' });
    expect(status).toBe(200);
    // The request gets only the answer that the work is queued, never the result.
    expect(body.replies.map((reply: Frame) => reply.text)).toEqual([
      expect.stringMatching(/^Queued: I'm doing it in the background/),
    ]);
    const result = await socket.next((frame) => frame.type === 'job_result');
    expect(result).toMatchObject({
      from: 'bot',
      text: 'Here is the report.',
      job: { kind: 'background' },
    });
    expect(result.artifacts.map((file: Frame) => file.name)).toEqual(['report.txt']);
    const file = await download(result.artifacts[0].url, ownerToken);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(reportBytes);
    // A page that connects later finds it in the history, as a job_result still.
    const later = openSocket(base, { token: ownerToken, since: 0 });
    sockets.push(later);
    const ready = await later.next((frame) => frame.type === 'ready');
    expect(
      ready.history
        .filter((event: Frame) => event.type === 'job_result')
        .map((event: Frame) => event.seq),
    ).toEqual([result.seq]);
  });

  it('closes a socket that signs in with an unknown token', async () => {
    const socket = openSocket(base, { token: 'nope' });
    sockets.push(socket);
    expect(await socket.closed).toBe(4401);
  });

  it('refuses a frame over 64 KiB at the socket (1009) before sign-in, without handling it', async () => {
    const socket = openSocket(base, false);
    sockets.push(socket);
    const frame = JSON.stringify({ type: 'hello', token: ownerToken, pad: 'x'.repeat(64 * 1024) });
    socket.sendRaw(frame);
    expect(await socket.closed).toBe(1009);
    expect(socket.frames).toEqual([]);
  });

  it('describes its routes in /openapi.json and serves the page', async () => {
    const document = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Frame>>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/chat',
        '/api/v1/artifacts/{id}',
        '/api/v1/invitations',
        '/api/v1/invitations/{id}',
        '/api/v1/ws',
        '/',
      ]),
    );
    expect(document.paths['/api/v1/chat']?.post?.security).toEqual([{ bearer: [] }]);
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('web-chat/chat.js');
    const script = await fetch(`${base}/web-chat/chat.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${base}/web-chat/package.json`)).status).toBe(404);
  });
});

describe('web chat history and language, kept in storage', () => {
  const ownerToken = 'owner-token-for-history-0123456789';
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'botwire-web-restart-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** A bot on the SQLite file in `dataDir`, with a new web adapter each time. */
  const startBot = async () => {
    const bot = createBot({
      config: {
        storage: sqliteStorage({ path: join(dataDir, 'bot.db') }),
        name: 'Ada',
        http: { port: 0, token: ownerToken },
        skills: [{ use: demoSkill }],
      },
      adapters: [webAdapter({ artifactDir: join(dataDir, 'artifacts') })],
      log: silentLogger,
    });
    bot.use(demoMiddleware);
    await bot.start();
    return { bot, base: bot.http().url };
  };

  it('shows a reloaded page the chat from before a restart of the bot, and its chosen language', async () => {
    const first = await startBot();
    let epoch: string;
    let lastSeq: number;
    try {
      const response = await post(`${first.base}/api/v1/chat`, { text: '/whoami' }, ownerToken);
      expect(response.status).toBe(200);
      const socket = openSocket(first.base, { token: ownerToken });
      const ready = await socket.next((frame) => frame.type === 'ready');
      epoch = ready.epoch;
      lastSeq = ready.history.at(-1).seq;
      expect(ready.user.locale).toBeUndefined();
      socket.send({ type: 'locale', locale: 'ru' });
      await socket.next((frame) => frame.type === 'locale');
      await socket.close();
    } finally {
      await first.bot.stop();
    }

    const second = await startBot();
    try {
      const socket = openSocket(second.base, { token: ownerToken, since: 0, epoch });
      const ready = await socket.next((frame) => frame.type === 'ready');
      await socket.close();
      // Same epoch: the page keeps what it has and its sequence numbers still hold.
      expect(ready.reset).toBe(false);
      expect(ready.epoch).toBe(epoch);
      expect(ready.history.map((event: Frame) => [event.from, event.text])).toEqual([
        ['user', '/whoami'],
        ['bot', expect.stringMatching(/Role: owner/)],
      ]);
      expect(ready.user.locale).toBe('ru');

      // The next message is numbered after the stored ones, and the bot hears the chosen language.
      const reply = await post(`${second.base}/api/v1/chat`, { text: '/help' }, ownerToken);
      const body = (await reply.json()) as { replies: Array<{ text: string }> };
      expect(body.replies[0]?.text).toMatch(/Ada/);
      expect(body.replies[0]?.text).toMatch(/[а-я]/);
      const after = openSocket(second.base, { token: ownerToken, since: lastSeq, epoch });
      const resumed = await after.next((frame) => frame.type === 'ready');
      await after.close();
      expect(resumed.history.map((event: Frame) => event.seq)).toEqual([lastSeq + 1, lastSeq + 2]);

      // The greeting's phrases, in the chosen language unless the page asks for another.
      const welcome = async (query = '') => {
        const answer = await fetch(`${second.base}/api/v1/welcome${query}`, {
          headers: { authorization: `Bearer ${ownerToken}`, 'accept-language': 'en' },
        });
        return (await answer.json()) as Frame;
      };
      expect(await welcome()).toEqual({
        locale: 'ru',
        suggestions: [
          { text: '/choose', description: 'выбрать цвет' },
          { text: '/report', description: 'get the report' },
          { text: '/help', description: expect.any(String) },
        ],
      });
      expect((await welcome('?locale=en')).suggestions[0].description).toBe('pick a colour');
      expect((await fetch(`${second.base}/api/v1/welcome`)).status).toBe(401);
    } finally {
      await second.bot.stop();
    }
  }, 60_000);
});

describe('verified roles', () => {
  it('are honoured only from an adapter that declares verifiesRoles', async () => {
    const roles: Record<string, string | undefined> = {};
    const claimOwner = (verifiesRoles: boolean, name: string) => {
      let host: AdapterHost | undefined;
      const adapter: Adapter = {
        name,
        capabilities: {
          buttons: false,
          markdown: false,
          files: false,
          maxTextLength: 100,
          verifiesRoles,
        },
        async start(runtimeHost) {
          host = runtimeHost;
        },
        async stop() {},
        async send() {
          return { platformMessageIds: [] };
        },
      };
      const say = () =>
        host!.receive({
          platform: name,
          platformMessageId: '1',
          sender: { platformId: 'mallory', verifiedRole: 'owner' },
          chat: { platformId: 'mallory', type: 'private' },
          kind: 'message',
          text: 'hi',
          attachments: [],
          sentAt: new Date(),
        });
      return { adapter, say };
    };
    const honest = claimOwner(true, 'honest');
    const other = claimOwner(false, 'other');
    const bot = createBot({
      config: { storage: 'memory' },
      adapters: [honest.adapter, other.adapter],
      log: silentLogger,
    });
    await bot.start();
    try {
      await honest.say();
      await other.say();
      for (const platform of ['honest', 'other']) {
        const user = await bot.storage.users.findByIdentity({ platform, platformId: 'mallory' });
        roles[platform] = user?.role;
      }
    } finally {
      await bot.stop();
    }
    expect(roles).toEqual({ honest: 'owner', other: undefined });
  });
});
