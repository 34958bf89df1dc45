import { runStorageContract } from '@botwire/core/contract-suites';
import { type MongoPeer, startMongoPeer } from '@botwire/storage-mongo/testing';
import { afterAll, beforeAll } from 'vitest';
import { mongoStorage } from './mongo-storage';

let peer: MongoPeer;
let database = 0;

beforeAll(async () => {
  peer = await startMongoPeer();
});

afterAll(async () => {
  await peer?.close();
});

// Each test gets its own database on the peer; a second driver in the same test (reopening,
// two instances) shares it, as two processes would.
runStorageContract(
  'mongo (wire-protocol peer)',
  () => mongoStorage({ url: peer.url, database: `contract_${database}` }),
  {
    cleanup: () => {
      peer.store.databases.delete(`contract_${database}`);
      database++;
    },
  },
);
