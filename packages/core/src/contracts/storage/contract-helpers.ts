import { expect } from 'vitest';
import type { BotwireErrorCode } from '../../errors/error-catalog';
import type { Identity, StorageDriver } from '../../ports/storage';

/** What each part of the storage contract gets: the driver under test and how to make more. */
export interface StorageContractSubject {
  /** The driver of the running test, opened. */
  readonly storage: StorageDriver;
  /** Makes another driver (closed after the test), for tests of two instances or reopening. */
  create(): Promise<StorageDriver>;
  /** The TTL the expiry tests use, in ms. */
  ttlMs: number;
}

/** Waits. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `usr_...`-style ids. */
export const idPattern = (prefix: string) => new RegExp(`^${prefix}_[0-9A-Za-z]+$`);

/** Expects `action` to fail with a BotwireError of this code. */
export async function expectError(
  action: () => Promise<unknown>,
  code: BotwireErrorCode,
): Promise<void> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a BotwireError ${code}`).toMatchObject({ name: 'BotwireError', code });
}

/** A Telegram identity. */
export const telegram = (platformId: string): Identity => ({ platform: 'telegram', platformId });
