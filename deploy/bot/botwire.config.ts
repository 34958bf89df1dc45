import { defineConfig } from '@botwire/core';
import { bullmqJobQueue, redisChatSequencer } from '@botwire/queue-bullmq';
import { mongoStorage } from '@botwire/storage-mongo';
import { qdrantVectorIndex } from '@botwire/vector-qdrant';

/**
 * A bot for several processes (docs/guides/deploy.md): every process runs this same config,
 * and none keeps state of its own. Telegram posts to any of them (TELEGRAM_WEBHOOK_URL); users,
 * chats, history and the Telegram inbox live in MongoDB, jobs and reminders in BullMQ on Redis,
 * each chat's updates are kept in order across processes through Redis, vectors in Qdrant.
 */
export default defineConfig({
  name: 'Assistant',
  access: 'owner',
  adapters: ['telegram'],
  storage: mongoStorage(), // MONGODB_URL
  queue: bullmqJobQueue(), // REDIS_URL
  sequencer: redisChatSequencer(), // REDIS_URL
  vectors: qdrantVectorIndex(), // QDRANT_URL, QDRANT_API_KEY
  skills: [
    { use: '@botwire/skill-memory', permissions: ['storage'] },
    { use: '@botwire/skill-cron', permissions: ['schedule'] },
  ],
});
