import { type KeyValueStore, skillNamespace } from '@botwire/core';

/** A user's relationship with the companion. */
export interface Bond {
  points: number;
  /** Messages that earned points. */
  messages: number;
  /** Points earned on `day` (UTC date), for the daily cap. */
  today: number;
  day: string;
}

/** The skill's namespace for one user: what its tools see as `context.userStorage`. */
export const bondNamespace = (userId: string) => skillNamespace('companion', userId);

/** Reads a user's bond (none yet: 0 points). */
export async function readBond(kv: KeyValueStore, userId: string): Promise<Bond> {
  return (
    (await kv.get<Bond>(bondNamespace(userId), 'bond')) ?? {
      points: 0,
      messages: 0,
      today: 0,
      day: '',
    }
  );
}

/** Saves a user's bond. */
export async function saveBond(kv: KeyValueStore, userId: string, bond: Bond): Promise<void> {
  await kv.set(bondNamespace(userId), 'bond', bond);
}
