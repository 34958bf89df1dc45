import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type DiscordPeer, startDiscordPeer } from './discord-peer';

type Frame = { op: number; d: unknown; s: number | null; t: string | null };

/** A raw gateway client: collects frames and the close code. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  const frames: Frame[] = [];
  let closed: { code: number; reason: string } | undefined;
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  socket.on('close', (code, reason) => {
    closed = { code, reason: String(reason) };
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const wait = async <T>(read: () => T | undefined, timeoutMs = 2000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  return {
    socket,
    frames,
    send: (payload: unknown) => socket.send(JSON.stringify(payload)),
    frame: (match: (frame: Frame) => boolean) => wait(() => frames.find(match)),
    closed: () => wait(() => closed),
  };
}

const identify = (token: string, intents = 1 | (1 << 9) | (1 << 12) | (1 << 15)) => ({
  op: 2,
  d: { token, intents, properties: { os: 'linux', browser: 'test', device: 'test' } },
});

describe('discord peer', () => {
  let peer: DiscordPeer;
  afterEach(() => peer?.close());

  it('says HELLO, answers IDENTIFY with READY and GUILD_CREATE, and acknowledges heartbeats', async () => {
    peer = await startDiscordPeer({ heartbeatIntervalMs: 1234 });
    const gateway = await connect(`${peer.gatewayUrl}?v=10&encoding=json`);
    const hello = await gateway.frame((frame) => frame.op === 10);
    expect(hello).toEqual({ op: 10, d: { heartbeat_interval: 1234 }, s: null, t: null });
    gateway.send(identify(peer.token));
    const ready = await gateway.frame((frame) => frame.t === 'READY');
    expect(ready.s).toBe(1);
    expect(ready.d).toMatchObject({
      v: 10,
      user: { id: peer.bot.id, bot: true },
      guilds: [{ id: peer.guildId, unavailable: true }],
      application: { id: peer.applicationId },
      resume_gateway_url: peer.gatewayUrl,
    });
    const guild = await gateway.frame((frame) => frame.t === 'GUILD_CREATE');
    expect(guild.s).toBe(2);
    expect(
      (guild.d as { channels: { name: string }[] }).channels.map((channel) => channel.name),
    ).toEqual(['general', 'random']);
    gateway.send({ op: 1, d: 2 });
    await gateway.frame((frame) => frame.op === 11);
    expect(peer.gateway.heartbeatSequences).toEqual([2]);
    await peer.userSends({ content: 'hi' });
    const message = await gateway.frame((frame) => frame.t === 'MESSAGE_CREATE');
    expect(message.s).toBe(3);
    expect(message.d).toMatchObject({
      content: 'hi',
      channel_id: peer.dmChannelId,
      channel_type: 1,
    });
    gateway.socket.close(1000);
  });

  it('closes with Discord’s codes: bad token, unknown opcode, not authenticated, disallowed intents', async () => {
    peer = await startDiscordPeer({ privilegedIntents: false });
    const url = `${peer.gatewayUrl}?v=10&encoding=json`;
    const badToken = await connect(url);
    badToken.send(identify('wrong'));
    expect((await badToken.closed()).code).toBe(4004);
    const unknown = await connect(url);
    unknown.send({ op: 42, d: null });
    expect((await unknown.closed()).code).toBe(4001);
    const early = await connect(url);
    early.send({ op: 3, d: { status: 'online', since: null, activities: [], afk: false } });
    expect((await early.closed()).code).toBe(4003);
    const privileged = await connect(url);
    privileged.send(identify(peer.token));
    expect((await privileged.closed()).code).toBe(4014);
    const version = await connect(`${peer.gatewayUrl}?v=6&encoding=json`);
    expect((await version.closed()).code).toBe(4012);
  });

  it('replays missed dispatches on RESUME, and refuses an unknown session', async () => {
    peer = await startDiscordPeer();
    const url = `${peer.gatewayUrl}?v=10&encoding=json`;
    const first = await connect(url);
    first.send(identify(peer.token));
    const ready = await first.frame((frame) => frame.t === 'READY');
    const sessionId = (ready.d as { session_id: string }).session_id;
    expect(sessionId).toMatch(/^[0-9a-f]{32}$/);
    await first.frame((frame) => frame.t === 'GUILD_CREATE');
    first.socket.terminate();
    await first.closed();
    await peer.userSends({ content: 'while you were away' });
    const second = await connect(url);
    second.send({ op: 6, d: { token: peer.token, session_id: sessionId, seq: 2 } });
    const resumed = await second.frame((frame) => frame.t === 'RESUMED');
    const replayed = second.frames.filter((frame) => frame.op === 0);
    expect(replayed.map((frame) => [frame.s, frame.t])).toEqual([
      [3, 'MESSAGE_CREATE'],
      [4, 'RESUMED'],
    ]);
    expect(resumed.s).toBe(4);
    second.socket.close(1000);
    await second.closed();
    const third = await connect(url);
    third.send({ op: 6, d: { token: peer.token, session_id: sessionId, seq: 4 } });
    expect(await third.frame((frame) => frame.op === 9)).toMatchObject({ d: false });
    third.socket.close(1000);
  });

  it('hides guild message content from a client without the Message Content intent', async () => {
    peer = await startDiscordPeer();
    const gateway = await connect(`${peer.gatewayUrl}?v=10&encoding=json`);
    gateway.send(identify(peer.token, 1 | (1 << 9) | (1 << 12)));
    await gateway.frame((frame) => frame.t === 'READY');
    const general = peer.guildChannels.general!;
    await peer.userSends({ channelId: general, content: 'secret' });
    await peer.userSends({ channelId: general, content: `<@${peer.bot.id}> visible` });
    await peer.userSends({ content: 'a DM is always visible' });
    await gateway.frame((frame) => frame.t === 'MESSAGE_CREATE' && frame.s === 5);
    const contents = gateway.frames
      .filter((frame) => frame.t === 'MESSAGE_CREATE')
      .map((frame) => (frame.d as { content: string }).content);
    expect(contents).toEqual(['', `<@${peer.bot.id}> visible`, 'a DM is always visible']);
    gateway.socket.close(1000);
  });

  it('checks REST requests as Discord does', async () => {
    peer = await startDiscordPeer();
    const api = `${peer.apiUrl}/v10`;
    const auth = { authorization: `Bot ${peer.token}`, 'content-type': 'application/json' };
    const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
      fetch(`${api}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

    const anonymous = await post(`/channels/${peer.dmChannelId}/messages`, { content: 'hi' }, {});
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ message: '401: Unauthorized', code: 0 });

    const tooLong = await post(`/channels/${peer.dmChannelId}/messages`, {
      content: 'x'.repeat(2001),
    });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({
      code: 50_035,
      errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } },
    });

    const empty = await post(`/channels/${peer.dmChannelId}/messages`, { content: '' });
    expect(await empty.json()).toEqual({ message: 'Cannot send an empty message', code: 50_006 });

    const unknownChannel = await post('/channels/1/messages', { content: 'hi' });
    expect(unknownChannel.status).toBe(404);
    expect(await unknownChannel.json()).toEqual({ message: 'Unknown Channel', code: 10_003 });

    const sent = await post(`/channels/${peer.dmChannelId}/messages`, {
      content: 'hello @everyone',
    });
    expect(sent.status).toBe(200);
    expect(sent.headers.get('x-ratelimit-limit')).toBe('50');
    // Without allowed_mentions, @everyone would ping.
    expect(await sent.json()).toMatchObject({ content: 'hello @everyone', mention_everyone: true });

    const nowhere = await fetch(`${api}/guilds/1/nothing`, { headers: auth });
    expect(nowhere.status).toBe(404);
    expect(await nowhere.json()).toEqual({ message: '404: Not Found', code: 0 });
    expect(peer.unknownRoutes).toEqual(['GET /guilds/1/nothing']);
  });

  it('answers a scripted 429 with retry_after and the rate-limit headers', async () => {
    peer = await startDiscordPeer({
      script: [
        { method: 'POST', route: '/channels/:channel/messages', status: 429, retryAfter: 1.5 },
      ],
    });
    const response = await fetch(`${peer.apiUrl}/v10/channels/${peer.dmChannelId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${peer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'hi' }),
    });
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({
      message: 'You are being rate limited.',
      retry_after: 1.5,
      global: false,
    });
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(response.headers.get('x-ratelimit-reset-after')).toBe('1.500');
    expect(response.headers.get('x-ratelimit-scope')).toBe('user');
    expect(response.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses an interaction callback after 3 seconds and a second acknowledgement', async () => {
    peer = await startDiscordPeer();
    const gateway = await connect(`${peer.gatewayUrl}?v=10&encoding=json`);
    gateway.send(identify(peer.token));
    await gateway.frame((frame) => frame.t === 'READY');
    const callback = (interaction: { id: string; token: string }) =>
      fetch(`${peer.apiUrl}/v10/interactions/${interaction.id}/${interaction.token}/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 5 }),
      });
    await fetch(`${peer.apiUrl}/v10/applications/${peer.applicationId}/commands`, {
      method: 'PUT',
      headers: { authorization: `Bot ${peer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ name: 'help', description: 'help', type: 1 }]),
    });
    const late = await peer.useCommand({ name: 'help' });
    late.createdAt -= 3001;
    expect(await (await callback(late)).json()).toEqual({
      message: 'Unknown interaction',
      code: 10_062,
    });
    const twice = await peer.useCommand({ name: 'help' });
    expect((await callback(twice)).status).toBe(204);
    expect(await (await callback(twice)).json()).toEqual({
      message: 'Interaction has already been acknowledged.',
      code: 40_060,
    });
    gateway.socket.close(1000);
  });
});
