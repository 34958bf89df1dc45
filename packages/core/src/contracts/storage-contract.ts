import { afterEach, beforeEach, describe } from 'vitest';
import type { StorageDriver } from '../ports/storage';
import { chatStoreContract } from './storage/chat-store-contract';
import { keyValueStoreContract } from './storage/key-value-store-contract';
import { lifecycleContract } from './storage/lifecycle-contract';
import { messageStoreContract } from './storage/message-store-contract';
import { userStoreContract } from './storage/user-store-contract';

/** Options for {@link runStorageContract}. */
export interface StorageContractOptions {
  /**
   * Runs after each test, once its drivers are closed: remove files, drop the database.
   * `createDriver` may be called more than once in a test, so clean up everything it made.
   */
  cleanup?: () => void | Promise<void>;
  /** The TTL the expiry tests use, in ms (default 25). The tests wait this long plus 50 ms. */
  ttlMs?: number;
}

/**
 * The test suite every storage driver must pass: one Vitest `describe` block. Each test gets a
 * fresh driver from `createDriver`, opened before and closed after it.
 *
 * @example
 * // mongo.test.ts
 * import { runStorageContract } from '@botwire/core/contract-suites';
 * runStorageContract('mongo', () => mongoStorage({ url, database: `test_${Date.now()}` }), {
 *   cleanup: () => dropTestDatabases(),
 * });
 */
export function runStorageContract(
  name: string,
  createDriver: () => StorageDriver | Promise<StorageDriver>,
  options: StorageContractOptions = {},
): void {
  const ttlMs = options.ttlMs ?? 25;

  describe(`storage contract: ${name}`, () => {
    let storage: StorageDriver;
    const made: StorageDriver[] = [];
    const create = async () => {
      const driver = await createDriver();
      made.push(driver);
      return driver;
    };

    beforeEach(async () => {
      storage = await create();
      await storage.open();
    });

    afterEach(async () => {
      for (const driver of made.splice(0)) await driver.close();
      await options.cleanup?.();
    });

    const subject = {
      get storage() {
        return storage;
      },
      create,
      ttlMs,
    };
    lifecycleContract(subject);
    userStoreContract(subject);
    chatStoreContract(subject);
    messageStoreContract(subject);
    keyValueStoreContract(subject);
  });
}
