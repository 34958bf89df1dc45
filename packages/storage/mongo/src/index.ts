/**
 * @botwire/storage-mongo — the storage driver for MongoDB (mongoose), for bots that run in
 * several processes: give `mongoStorage()` (URL from `MONGODB_URL`) to a bot as its `storage`.
 * A MongoDB wire-protocol peer for tests is in `@botwire/storage-mongo/testing`.
 */
export { type MongoStorageDriver, type MongoStorageOptions, mongoStorage } from './mongo-storage';
