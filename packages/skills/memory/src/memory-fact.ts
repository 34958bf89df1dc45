/** What kind of fact a memory is. */
export type FactCategory = 'profile' | 'preference' | 'plan' | 'relation' | 'event' | 'other';

/** Where a fact came from. */
export interface FactSource {
  /**
   * `user`: the user's own words (a command or a pattern such as "remember that …");
   * `model`: the planner or a batch extraction read it from the conversation;
   * `tool`: another tool's output (a web page, a file, an API) fed it.
   */
  kind: 'user' | 'model' | 'tool';
  /** The platform message it came from, when known. */
  messageId?: string;
  platform?: string;
  /** The tools whose output fed it. */
  tools?: string[];
}

/** One remembered fact about a user. */
export interface MemoryFact {
  /** `mem_` and a random part. */
  id: string;
  content: string;
  /** The content normalized for exact de-duplication (lower case, ё→е, no punctuation). */
  normalized: string;
  category: FactCategory;
  /** 0..1, as saved; {@link effectiveImportance} applies the decay. */
  importance: number;
  pinned: boolean;
  locked: boolean;
  /** `quarantined` facts came from untrusted content: kept, listed for review, never recalled. */
  status: 'active' | 'quarantined';
  trust: 'trusted' | 'untrusted';
  source: FactSource;
  /** How many times the fact was saved (merges count). */
  mentions: number;
  createdAt: number;
  /** The last save or merge: the decay counts from here. */
  updatedAt: number;
  /** When it expires (ms since the epoch); null: never (pinned, locked, or no TTL). */
  expiresAt: number | null;
}

/** How facts age: see the skill's config_schema. */
export interface MemoryPolicy {
  defaultTtlDays: number;
  halfLifeDays: number;
  minDecayFactor: number;
  duplicateSimilarity: number;
  maxFacts: number;
  recallLimit: number;
  extractEvery: number;
}

/** The defaults of the skill's config. */
export const defaultMemoryPolicy: MemoryPolicy = {
  defaultTtlDays: 180,
  halfLifeDays: 30,
  minDecayFactor: 0.2,
  duplicateSimilarity: 0.85,
  maxFacts: 1000,
  recallLimit: 5,
  extractEvery: 10,
};

const dayMs = 86_400_000;

/** Lower case, `ё` as `е`, punctuation and repeated spaces gone: two spellings of one fact meet. */
export function normalizeFact(content: string): string {
  return content
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Pinned and locked facts neither expire nor fade. */
export const isExempt = (fact: Pick<MemoryFact, 'pinned' | 'locked'>): boolean =>
  fact.pinned || fact.locked;

/** When a fact saved or renewed at `now` expires under the policy (null: never). */
export function expiryFor(
  fact: Pick<MemoryFact, 'pinned' | 'locked'>,
  now: number,
  policy: MemoryPolicy,
): number | null {
  if (isExempt(fact) || policy.defaultTtlDays <= 0) return null;
  return now + policy.defaultTtlDays * dayMs;
}

/** True when the fact's time is up (pinned and locked facts never expire). */
export function isExpired(fact: MemoryFact, now: number): boolean {
  return !isExempt(fact) && fact.expiresAt !== null && fact.expiresAt <= now;
}

/**
 * The importance now: halved every `halfLifeDays` since the last save, never below
 * `minDecayFactor` of what it was; pinned and locked facts keep theirs.
 */
export function effectiveImportance(fact: MemoryFact, now: number, policy: MemoryPolicy): number {
  if (isExempt(fact)) return fact.importance;
  const ageDays = Math.max(0, now - fact.updatedAt) / dayMs;
  const factor = Math.max(policy.minDecayFactor, 0.5 ** (ageDays / policy.halfLifeDays));
  return fact.importance * factor;
}

/**
 * A fact saved again, or a near-duplicate of it: the newer wording (unless the fact is locked),
 * the higher importance, one more mention, a renewed expiry, and the trust of the better source
 * (the user saying it themselves makes a quarantined fact active).
 */
export function mergeFacts(
  existing: MemoryFact,
  incoming: Pick<MemoryFact, 'content' | 'category' | 'importance' | 'pinned' | 'source' | 'trust'>,
  now: number,
  policy: MemoryPolicy,
): MemoryFact {
  const trusted = existing.trust === 'trusted' || incoming.trust === 'trusted';
  const merged: MemoryFact = {
    ...existing,
    ...(existing.locked
      ? {}
      : {
          content: incoming.content,
          normalized: normalizeFact(incoming.content),
          category: incoming.category,
        }),
    importance: Math.max(existing.importance, incoming.importance),
    pinned: existing.pinned || incoming.pinned,
    mentions: existing.mentions + 1,
    updatedAt: now,
    trust: trusted ? 'trusted' : 'untrusted',
    status: trusted ? 'active' : existing.status,
    source:
      incoming.trust === 'trusted' || existing.trust !== 'trusted'
        ? incoming.source
        : existing.source,
  };
  return { ...merged, expiresAt: expiryFor(merged, now, policy) };
}

/** Reads the skill's config into a policy (the runtime filled in the schema's defaults). */
export function policyFrom(config: Record<string, unknown>): MemoryPolicy {
  const number = (key: keyof MemoryPolicy) =>
    typeof config[key] === 'number' ? (config[key] as number) : defaultMemoryPolicy[key];
  return {
    defaultTtlDays: number('defaultTtlDays'),
    halfLifeDays: number('halfLifeDays'),
    minDecayFactor: number('minDecayFactor'),
    duplicateSimilarity: number('duplicateSimilarity'),
    maxFacts: number('maxFacts'),
    recallLimit: number('recallLimit'),
    extractEvery: number('extractEvery'),
  };
}
