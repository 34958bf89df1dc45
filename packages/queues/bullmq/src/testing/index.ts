/**
 * @botwire/queue-bullmq/testing — starts a real, throwaway `redis-server` on a free loopback port,
 * for testing this driver (and bots that use it). Needs Redis installed (`apt-get install
 * redis-server`, `brew install redis`).
 */
export { type RedisServer, type RedisServerOptions, startRedisServer } from './redis-server';
