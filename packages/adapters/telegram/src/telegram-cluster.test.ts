import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RedisServer, startRedisServer } from '@botwire/queue-bullmq/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type BotApiPeer, startBotApiPeer } from './testing/bot-api-peer';
import {
  answersByChat,
  clusterText,
  sendUpdates,
  startWebhookCluster,
  type WebhookCluster,
} from './testing/cluster/webhook-cluster';

/**
 * Two bot processes behind one Telegram webhook, as a deployment runs them: one SQLite file,
 * one Redis (the chat sequencer), updates of 100 chats (4,000 here; `CLUSTER_PER_CHAT=100` for
 * 10,000) handed to the processes in turn, 5% of them delivered to both at once, and one
 * process SIGKILLed half-way and started again. Every update must be answered and each chat's
 * answers must come in its order, read from the Bot API peer's log; only the answer a chat was
 * at when the process died may repeat (sent, not yet noted). The processes run the built
 * packages (`.ci/run` builds them); redis-server comes from Debian.
 */
const token = '99:CLUSTER-token';

describe('two bot processes behind one webhook', () => {
  let redis: RedisServer | undefined;
  let peer: BotApiPeer | undefined;
  let cluster: WebhookCluster | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    await cluster?.stop();
    await peer?.stop();
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    cluster = peer = redis = dataDir = undefined;
  });

  it('answers the updates of 100 chats once each and in order, through a SIGKILL', {
    timeout: 240_000,
  }, async () => {
    redis = await startRedisServer();
    peer = await startBotApiPeer(token);
    dataDir = mkdtempSync(join(tmpdir(), 'botwire-cluster-'));
    cluster = await startWebhookCluster({
      processes: 2,
      peer,
      token,
      database: join(dataDir, 'bot.db'),
      dataDir,
      sequencer: 'redis',
      redisUrl: redis.url,
    });
    const running = cluster;
    let down = false;
    const answeredAtKill = new Map<number, number>();
    const chats = 100;
    // 40 a chat in the suite (a machine of two cores runs the other tests beside it); the
    // acceptance's 10,000 with CLUSTER_PER_CHAT=100.
    const perChat = Number(process.env.CLUSTER_PER_CHAT ?? 40);
    const report = await sendUpdates({
      urls: () => (down ? [running.urls[0]!] : running.urls),
      chats,
      perChat,
      duplicates: 0.05,
      atHalf: async () => {
        down = true;
        // How far each chat's answers had come just before the kill.
        for (const [chat, texts] of answersByChat(peer!)) answeredAtKill.set(chat, texts.length);
        await running.kill(1);
        await new Promise((resolve) => setTimeout(resolve, 500));
        await running.restart(1);
        down = false;
      },
    });
    expect(report.sent).toBe(chats * perChat);
    expect(report.duplicates).toBeGreaterThan(chats * perChat * 0.03);

    // Updates the killed process had taken are replayed by its successor.
    const deadline = Date.now() + 120_000;
    const distinct = () =>
      new Set(
        peer!.callsOf('sendMessage').map((call) => `${call.params.chat_id}:${call.params.text}`),
      ).size;
    while (distinct() < chats * perChat && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 500));

    const answers = answersByChat(peer);
    const expected = Array.from(
      { length: perChat },
      (_, index) => `echo ${clusterText(index + 1)}`,
    );
    expect(answers.size).toBe(chats);
    // Each chat: every update answered, in order. An answer may come twice only when the killed
    // process had sent it but not yet marked its update done (the Bot API has no idempotency
    // key, so a replay cannot know); such a repeat directly follows the original.
    const repeated: string[] = [];
    for (const [chat, texts] of answers) {
      const once = texts.filter((text, index) => index === 0 || text !== texts[index - 1]);
      const at = once.findIndex((text, index) => text !== expected[index]);
      expect(
        at === -1 && once.length === expected.length
          ? 'in order'
          : once.slice(Math.max(0, at - 2), at + 3),
        `chat ${chat}: answers from the first difference`,
      ).toEqual(
        at === -1 && once.length === expected.length
          ? 'in order'
          : expected.slice(Math.max(0, at - 2), at + 3),
      );
      const again = texts.filter((text, index) => index > 0 && text === texts[index - 1]);
      // Only the answer the chat was at when the process died may repeat (sent, not yet noted
      // in Redis at the instant of the kill): at most one, next to where its answers were.
      expect(again.length, `chat ${chat}: repeats`).toBeLessThanOrEqual(1);
      for (const text of again) {
        const n = Number(text.slice('echo m'.length));
        const at = answeredAtKill.get(chat) ?? 0;
        expect(
          n,
          `chat ${chat}: ${text} repeated, answered ${at} at the kill`,
        ).toBeGreaterThanOrEqual(at - 1);
        expect(n, `chat ${chat}: ${text} repeated, answered ${at} at the kill`).toBeLessThanOrEqual(
          at + 3,
        );
      }
      repeated.push(...again);
    }
    expect(peer.callsOf('sendMessage')).toHaveLength(chats * perChat + repeated.length);
    console.log(
      `cluster: ${report.sent} updates (${report.duplicates} delivered twice, ${report.retried} retried on the other process) acknowledged in ${(report.ms / 1000).toFixed(1)} s; ${repeated.length} answers repeated after the SIGKILL`,
    );
  });
});
