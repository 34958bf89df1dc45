import { expect } from 'vitest';
import { isBotwireError } from '../errors/botwire-error';

/** Awaits a promise that must reject with a BotwireError of `code`, and checks that it did. */
export async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected a rejection with ${code}`).toBeDefined();
  expect(isBotwireError(error) ? error.code : String(error)).toBe(code);
}
