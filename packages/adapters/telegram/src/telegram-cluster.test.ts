import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RedisServer, startRedisServer } from '@botwire/queue-bullmq/testing';
import { type MongoPeer, startMongoPeer } from '@botwire/storage-mongo/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type BotApiPeer, startBotApiPeer } from './testing/bot-api-peer';
import {
  answersByChat,
  clusterText,
  sendUpdates,
  sentTexts,
  startWebhookCluster,
  type WebhookCluster,
} from './testing/cluster/webhook-cluster';
import { type Emulator, startEmulator, testToken } from './testing/emulator';

/**
 * Two bot processes behind one Telegram webhook, as a deployment runs them: shared storage (one
 * SQLite file, or MongoDB through the wire-protocol peer), one Redis (the chat sequencer),
 * updates of 100 chats handed to the processes in turn, 5% of them delivered to both at once,
 * and one process SIGKILLed half-way and started again. Every update must be answered exactly
 * once and each chat's answers must come in its order, read from the Bot API's log: the local
 * Bot API peer's, or the telegram-test-api emulator's. 4,000 updates on SQLite in the suite (a
 * machine of two cores runs the other tests beside it); `CLUSTER_PER_CHAT=100` makes it the
 * acceptance's 10,000 (and the emulator's run too). The processes run the built packages
 * (`.ci/run` builds them); redis-server comes from Debian.
 */
const token = '99:CLUSTER-token';

describe('two bot processes behind one webhook', () => {
  let redis: RedisServer | undefined;
  let peer: BotApiPeer | Emulator | undefined;
  let cluster: WebhookCluster | undefined;
  let dataDir: string | undefined;
  let mongo: MongoPeer | undefined;

  afterEach(async () => {
    await cluster?.stop();
    await peer?.stop();
    await redis?.stop();
    await mongo?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    cluster = peer = redis = dataDir = mongo = undefined;
  });

  it('answers the updates of 100 chats once each and in order, through a SIGKILL', {
    timeout: 240_000,
  }, async () => {
    await killHalfWay({ perChat: Number(process.env.CLUSTER_PER_CHAT ?? 40) });
  });

  it('does the same with storage in MongoDB (the wire-protocol peer)', {
    timeout: 240_000,
  }, async () => {
    mongo = await startMongoPeer();
    // The peer answers in the test's own process, beside two bots on two cores: fewer updates.
    await killHalfWay({ perChat: 6, mongoUrl: `${mongo.url}/cluster` });
  });

  it('does the same with the telegram-test-api emulator as the Bot API, reading its log', {
    timeout: 240_000,
  }, async () => {
    await killHalfWay({ perChat: Number(process.env.CLUSTER_PER_CHAT ?? 10), emulator: true });
  });

  /**
   * Sends `perChat` updates to each of 100 chats, kills a process half-way, checks the Bot API's
   * log: the local peer's, or the emulator's with `emulator`.
   */
  async function killHalfWay(options: { perChat: number; mongoUrl?: string; emulator?: boolean }) {
    redis = await startRedisServer();
    peer = options.emulator ? await startEmulator() : await startBotApiPeer(token);
    const api = peer;
    dataDir = mkdtempSync(join(tmpdir(), 'botwire-cluster-'));
    cluster = await startWebhookCluster({
      processes: 2,
      peer,
      token: options.emulator ? testToken : token,
      database: join(dataDir, 'bot.db'),
      dataDir,
      sequencer: 'redis',
      redisUrl: redis.url,
      trace: true,
      ...(options.mongoUrl ? { mongoUrl: options.mongoUrl } : {}),
    });
    const running = cluster;
    let down = false;
    const chats = 100;
    const { perChat } = options;
    const report = await sendUpdates({
      urls: () => (down ? [running.urls[0]!] : running.urls),
      chats,
      perChat,
      duplicates: 0.05,
      atHalf: async () => {
        down = true;
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
    const distinct = () => new Set(sentTexts(api).map(({ chat, text }) => `${chat}:${text}`)).size;
    while (distinct() < chats * perChat && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 500));

    const answers = answersByChat(api);
    const expected = Array.from(
      { length: perChat },
      (_, index) => `echo ${clusterText(index + 1)}`,
    );
    expect(answers.size).toBe(chats);
    // Each chat: every update answered exactly once, in order.
    for (const [chat, texts] of answers) {
      const differs = texts.findIndex((text, index) => text !== expected[index]);
      // Where the chat's answers first leave the expected ones (a missing tail counts too).
      const at =
        differs === -1 && texts.length !== expected.length
          ? Math.min(texts.length, expected.length)
          : differs;
      expect(
        at === -1 ? 'in order' : texts.slice(Math.max(0, at - 2), at + 3),
        at === -1
          ? `chat ${chat}`
          : `chat ${chat}: answers from the first difference\n${explain(chat, texts, expected, report.updateIds)}`,
      ).toEqual(at === -1 ? 'in order' : expected.slice(Math.max(0, at - 2), at + 3));
    }
    expect(sentTexts(api)).toHaveLength(chats * perChat);
    // The kill hit work in progress: the successor replayed what the dead process had taken.
    const events = running.events();
    expect(events['telegram-update-replayed'] ?? 0).toBeGreaterThan(0);
    console.log(
      `cluster on ${options.mongoUrl ? 'MongoDB' : 'SQLite'}${options.emulator ? ' with telegram-test-api' : ''}: ${report.sent} updates (${report.duplicates} delivered twice, ${report.retried} retried on the other process) acknowledged in ${(report.ms / 1000).toFixed(1)} s; after the SIGKILL ${events['telegram-update-replayed'] ?? 0} updates replayed, ${events['telegram-update-answered-before-crash'] ?? 0} of them already answered (skipped); ${sentTexts(api).length} answers`,
    );
  }

  /**
   * What the processes logged about each update of a chat that was answered other than once:
   * its id, the kills, and every line naming it (replays, skips, replies begun and sent, with
   * the process and its pid), to tell a replay that repeated an answer from other causes.
   */
  function explain(
    chat: number,
    texts: string[],
    expected: string[],
    updateIds: Map<string, number>,
  ): string {
    const trail = cluster?.trail() ?? [];
    const times = (answer: string) => texts.filter((text) => text === answer).length;
    const wrong = expected.filter((answer) => times(answer) !== 1);
    const lines = trail
      .filter((line) => line.message === 'cluster-killed')
      .map((line) => `process ${line.process} killed at ${line.at}`);
    for (const answer of wrong) {
      const text = answer.replace(/^echo /, '');
      const updateId = updateIds.get(`${chat}:${text}`);
      lines.push(`"${answer}" answered ${times(answer)} times; update ${updateId}:`);
      for (const line of trail)
        if (line.updateId === updateId || (line.chat === chat && line.text === text))
          lines.push(`  ${JSON.stringify(line)}`);
    }
    return lines.join('\n');
  }
});
