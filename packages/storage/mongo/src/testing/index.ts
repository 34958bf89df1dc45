/**
 * @botwire/storage-mongo/testing — a MongoDB wire-protocol peer for tests: `startMongoPeer()`
 * listens on a free loopback port and answers the commands the Node.js driver sends, with real
 * BSON, on an in-memory store (no MongoDB server, nothing downloaded).
 */
export { type MongoPeer, type MongoPeerOptions, startMongoPeer } from './mongo-peer';
export type { IndexSpec, PeerCollection, PeerStore } from './peer-store';
