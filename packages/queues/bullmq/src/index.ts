/**
 * @botwire/queue-bullmq — Redis for bots that run in several processes: the job queue driver for
 * BullMQ (`bullmqJobQueue({ url })` as a bot's `queue`) and the chat sequencer
 * (`redisChatSequencer({ url })` as its `sequencer`). A throwaway Redis server for tests is in
 * `@botwire/queue-bullmq/testing`.
 */
export { type BullmqJobQueueOptions, bullmqJobQueue } from './bullmq-job-queue';
export { type RedisChatSequencerOptions, redisChatSequencer } from './redis-chat-sequencer';
