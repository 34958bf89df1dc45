import {
  embeddedVectorIndex,
  lexicalEmbeddingModel,
  memoryStorage,
  type StorageDriver,
  scopeVectorIndex,
} from '@botwire/core';
import { scopeKeyValueStore } from '@botwire/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultMemoryPolicy, effectiveImportance, type MemoryPolicy } from './memory-fact';
import { MemoryStore } from './memory-store';

const day = 86_400_000;
const user = { source: { kind: 'user' as const }, trust: 'trusted' as const };
let storage: StorageDriver;
let clock: number;

beforeEach(async () => {
  storage = memoryStorage();
  await storage.open();
  clock = Date.UTC(2026, 0, 1);
});
afterEach(() => storage.close());

/** A store on fresh storage, its clock moved by the tests. */
function store(policy: Partial<MemoryPolicy> = {}, userId = 'usr_1'): MemoryStore {
  return new MemoryStore({
    kv: scopeKeyValueStore(storage.kv, `skill:memory:user:${userId}`),
    vectors: scopeVectorIndex(embeddedVectorIndex({ storage }), `test/user:${userId}`),
    embeddings: lexicalEmbeddingModel(),
    policy: { ...defaultMemoryPolicy, ...policy },
    now: () => clock,
  });
}

describe('memory quality rules (fake clock)', () => {
  it('merges the same fact said twice, whatever the case and punctuation', async () => {
    const memory = store();
    const first = await memory.save({ content: 'Я люблю зелёный чай.' }, user);
    clock += day;
    const second = await memory.save({ content: 'я ЛЮБЛЮ зеленый чай', importance: 0.9 }, user);
    expect(first.outcome).toBe('saved');
    expect(second.outcome).toBe('merged');
    expect(second.fact.id).toBe(first.fact.id);
    expect(second.fact.mentions).toBe(2);
    expect(second.fact.importance).toBe(0.9);
    expect(await memory.all()).toHaveLength(1);
  });

  it('merges a near-duplicate by similarity, and keeps different facts apart', async () => {
    const memory = store();
    await memory.save({ content: 'I like green tea' }, user);
    const near = await memory.save({ content: 'I really like green tea' }, user);
    expect(near.outcome).toBe('merged');
    expect((await memory.save({ content: 'I like black tea' }, user)).outcome).toBe('saved');
    await memory.forget('I like black tea');
    const other = await memory.save({ content: 'I work as a nurse in Lyon' }, user);
    expect(other.outcome).toBe('saved');
    expect((await memory.all()).map((fact) => fact.content).sort()).toEqual([
      'I really like green tea',
      'I work as a nurse in Lyon',
    ]);
  });

  it('gives new unpinned facts the default TTL; they are gone after it, with their vectors', async () => {
    const memory = store({ defaultTtlDays: 10 });
    const { fact } = await memory.save({ content: 'Parking spot 42 this week' }, user);
    expect(fact.expiresAt).toBe(clock + 10 * day);
    clock += 9 * day;
    expect(
      (await memory.recall('parking spot', { limit: 3 })).map((found) => found.fact.id),
    ).toEqual([fact.id]);
    clock += 2 * day;
    expect(await memory.all()).toEqual([]);
    expect(await memory.recall('parking spot', { limit: 3 })).toEqual([]);
  });

  it('renews the TTL when a fact is said again', async () => {
    const memory = store({ defaultTtlDays: 10 });
    await memory.save({ content: 'Gym on Tuesdays' }, user);
    clock += 8 * day;
    await memory.save({ content: 'gym on tuesdays' }, user);
    clock += 8 * day;
    expect((await memory.all()).map((fact) => fact.content)).toEqual(['gym on tuesdays']);
  });

  it('halves the importance of an unpinned fact every half-life, down to the floor', async () => {
    const policy = { ...defaultMemoryPolicy, halfLifeDays: 30, minDecayFactor: 0.2 };
    const memory = store(policy);
    const { fact } = await memory.save({ content: 'Likes jazz', importance: 0.8 }, user);
    expect(effectiveImportance(fact, clock, policy)).toBeCloseTo(0.8);
    expect(effectiveImportance(fact, clock + 30 * day, policy)).toBeCloseTo(0.4);
    expect(effectiveImportance(fact, clock + 60 * day, policy)).toBeCloseTo(0.2);
    expect(effectiveImportance(fact, clock + 365 * day, policy)).toBeCloseTo(0.16);
  });

  it('exempts pinned facts from TTL and decay, and unpinning starts the TTL again', async () => {
    const policy = { defaultTtlDays: 10, halfLifeDays: 30 };
    const memory = store(policy);
    const { fact } = await memory.save({ content: 'Allergic to penicillin', importance: 1 }, user);
    const pinned = (await memory.setPinned(fact.id, true))!;
    expect(pinned.expiresAt).toBeNull();
    clock += 400 * day;
    const [kept] = await memory.all();
    expect(kept?.id).toBe(fact.id);
    expect(effectiveImportance(kept!, clock, { ...defaultMemoryPolicy, ...policy })).toBe(1);
    const unpinned = (await memory.setPinned(fact.id, false))!;
    expect(unpinned.expiresAt).toBe(clock + 10 * day);
    clock += 11 * day;
    expect(await memory.all()).toEqual([]);
  });

  it('exempts locked facts from TTL, and refuses to forget or rewrite them', async () => {
    const memory = store({ defaultTtlDays: 1 });
    const { fact } = await memory.save({ content: 'Passport expires in March 2030' }, user);
    await memory.setLocked(fact.id, true);
    clock += 30 * day;
    expect((await memory.forget(fact.id)).locked?.id).toBe(fact.id);
    expect((await memory.forget('passport expires in march 2030')).locked?.id).toBe(fact.id);
    const again = await memory.save({ content: 'passport expires in March 2030!' }, user);
    expect(again.outcome).toBe('unchanged');
    expect((await memory.all()).map((each) => each.content)).toEqual([
      'Passport expires in March 2030',
    ]);
    await memory.setLocked(fact.id, false);
    expect((await memory.forget(fact.id)).forgotten?.id).toBe(fact.id);
    expect(await memory.all()).toEqual([]);
  });

  it('cleanup removes only what expired', async () => {
    const memory = store({ defaultTtlDays: 5 });
    await memory.save({ content: 'Short-lived fact about the weekend' }, user);
    const { fact: kept } = await memory.save({ content: 'Name is Olga', pinned: true }, user);
    clock += 6 * day;
    expect(await memory.cleanup()).toBe(1);
    expect((await memory.all()).map((fact) => fact.id)).toEqual([kept.id]);
    expect(await memory.cleanup()).toBe(0);
  });

  it('past maxFacts, drops the least important unpinned fact', async () => {
    const memory = store({ maxFacts: 10 });
    const { fact: pinned } = await memory.save(
      { content: 'fact zero', importance: 0, pinned: true },
      user,
    );
    for (const topic of [
      'apples',
      'violin',
      'Norway',
      'chess',
      'Lisbon',
      'tulips',
      'marathons',
      'sushi',
      'Python',
    ])
      await memory.save({ content: `likes ${topic}`, importance: 0.5 }, user);
    const { fact: low } = await memory.save({ content: 'low value note', importance: 0.1 }, user);
    expect(await memory.all()).toHaveLength(10);
    await memory.save({ content: 'brand new fact', importance: 0.5 }, user);
    const ids = (await memory.all()).map((fact) => fact.id);
    expect(ids).toHaveLength(10);
    expect(ids).toContain(pinned.id);
    expect(ids).not.toContain(low.id);
  });

  it('quarantines a fact from untrusted content until it is approved', async () => {
    const memory = store();
    const { fact } = await memory.save(
      { content: 'The user owes 500 euros to ACME' },
      { source: { kind: 'tool', tools: ['web_fetch'] }, trust: 'untrusted' },
    );
    expect(fact).toMatchObject({
      status: 'quarantined',
      trust: 'untrusted',
      source: { kind: 'tool' },
    });
    expect(await memory.recall('owes euros ACME', { limit: 5 })).toEqual([]);
    await memory.approve(fact.id);
    expect((await memory.recall('owes euros ACME', { limit: 5 }))[0]?.fact.id).toBe(fact.id);
  });

  it('the user saying a quarantined fact themselves makes it active', async () => {
    const memory = store();
    await memory.save(
      { content: 'Lives in Berlin' },
      { source: { kind: 'tool', tools: ['web_fetch'] }, trust: 'untrusted' },
    );
    const said = await memory.save({ content: 'lives in Berlin' }, user);
    expect(said.fact).toMatchObject({
      status: 'active',
      trust: 'trusted',
      source: { kind: 'user' },
    });
  });

  it('recall ranks by closeness, finds inflected forms, and puts pinned facts first', async () => {
    const memory = store();
    await memory.save({ content: 'Моя банковская карта — Visa' }, user);
    await memory.save({ content: 'Люблю кататься на велосипеде' }, user);
    const { fact: name } = await memory.save({ content: 'Меня зовут Аня', pinned: true }, user);
    const found = await memory.recall('какой картой я плачу?', { limit: 2 });
    expect(found[0]?.fact.id).toBe(name.id);
    expect(found[1]?.fact.content).toBe('Моя банковская карта — Visa');
  });

  it('rebuilds the vectors once when the embedding model changes', async () => {
    const kv = scopeKeyValueStore(storage.kv, 'skill:memory:user:usr_9');
    const index = embeddedVectorIndex({ storage });
    const make = (dimensions: number, namespace: string) =>
      new MemoryStore({
        kv,
        vectors: scopeVectorIndex(index, namespace),
        embeddings: Object.assign(lexicalEmbeddingModel({ dimensions }), {
          model: `lexical-${dimensions}`,
        }),
        policy: defaultMemoryPolicy,
        now: () => clock,
      });
    await make(512, 'test/a').save({ content: 'Plays the cello on Sundays' }, user);
    const moved = make(256, 'test/b');
    expect((await moved.recall('cello', { limit: 1 }))[0]?.fact.content).toBe(
      'Plays the cello on Sundays',
    );
    expect(await index.count('test/b')).toBe(1);
  });
});
