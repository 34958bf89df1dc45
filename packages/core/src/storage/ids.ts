import { randomFillSync } from 'node:crypto';
import { BotwireError } from '../errors/botwire-error';

/** An id prefix: `usr` for users, `cht` for chats, or another short lowercase word. */
export type IdPrefix = 'usr' | 'cht' | (string & {});

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const randomDigits = 16;

let lastTime = -1;
const lastRandom = new Uint8Array(randomDigits);

function fillRandom(): void {
  randomFillSync(lastRandom);
  for (let index = 0; index < randomDigits; index++) lastRandom[index] = lastRandom[index]! & 31;
}

/** Adds one to the random part; false when it overflowed. */
function incrementRandom(): boolean {
  for (let index = randomDigits - 1; index >= 0; index--) {
    if (lastRandom[index]! < 31) {
      lastRandom[index]! += 1;
      return true;
    }
    lastRandom[index] = 0;
  }
  return false;
}

/**
 * A new unique id that sorts by creation time: the prefix, `_`, then a ULID (ten Crockford
 * base32 characters of the millisecond timestamp and sixteen of randomness). Ids made in the
 * same millisecond by this process still sort in the order they were made.
 *
 * @example
 * newId('usr'); // 'usr_01JAB3Q5Z8Y2V6W4T0R1M9K7HX'
 */
export function newId(prefix: IdPrefix): string {
  if (typeof prefix !== 'string' || !/^[a-z][a-z0-9]{0,15}$/.test(prefix)) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `An id prefix must be a short lowercase word such as "usr"; got ${JSON.stringify(prefix)}.`,
    });
  }
  let time = Date.now();
  if (time <= lastTime) {
    time = lastTime;
    if (!incrementRandom()) {
      time += 1;
      fillRandom();
    }
  } else {
    fillRandom();
  }
  lastTime = time;

  let encoded = '';
  for (let rest = time, index = 0; index < 10; index++, rest = Math.floor(rest / 32)) {
    encoded = alphabet[rest % 32] + encoded;
  }
  for (const digit of lastRandom) encoded += alphabet[digit];
  return `${prefix}_${encoded}`;
}
