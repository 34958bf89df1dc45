/**
 * @botwire/queue-bullmq — the job queue driver for BullMQ on Redis, for bots that run in several
 * processes: give `bullmqJobQueue({ url })` to a bot as its `queue`. A throwaway Redis server for
 * tests is in `@botwire/queue-bullmq/testing`.
 */
export { type BullmqJobQueueOptions, bullmqJobQueue } from './bullmq-job-queue';
