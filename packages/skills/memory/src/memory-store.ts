import { randomBytes } from 'node:crypto';
import {
  BotwireError,
  type EmbeddingModel,
  type ScopedKeyValueStore,
  type ScopedVectorIndex,
  type ToolProvenance,
} from '@botwire/core';
import {
  effectiveImportance,
  expiryFor,
  type FactCategory,
  type FactSource,
  isExempt,
  isExpired,
  type MemoryFact,
  type MemoryPolicy,
  mergeFacts,
  normalizeFact,
} from './memory-fact';

/** What a memory store works on: one user's storage and vectors in the memory skill. */
export interface MemoryStoreParts {
  kv: ScopedKeyValueStore;
  vectors: ScopedVectorIndex;
  embeddings: EmbeddingModel;
  policy: MemoryPolicy;
  /** The clock (default `Date.now`); tests move it. */
  now?: () => number;
}

/** What to save. */
export interface NewFact {
  content: string;
  category?: FactCategory;
  importance?: number;
  pinned?: boolean;
}

/** The outcome of a save: a new fact, or one it was merged into. */
export interface SaveResult {
  fact: MemoryFact;
  outcome: 'saved' | 'merged' | 'unchanged';
}

/** A fact found for a question, with how close it is. */
export interface RecalledFact {
  fact: MemoryFact;
  /** Cosine similarity of the fact to the question. */
  similarity: number;
  /** What ranks it: similarity, importance now, and a bonus for pinned facts. */
  score: number;
}

const factPrefix = 'fact:';
const maxContentLength = 1000;

/** A new fact id: `mem_` and 12 random base-32 characters. */
function newFactId(): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  return `mem_${Array.from(randomBytes(12), (byte) => alphabet[byte & 31]).join('')}`;
}

/** Where the arguments of a call came from, as a fact's source and trust. */
export function sourceOf(
  provenance: ToolProvenance,
  message?: { platformMessageId: string; platform: string },
): { source: FactSource; trust: 'trusted' | 'untrusted' } {
  const where = message ? { messageId: message.platformMessageId, platform: message.platform } : {};
  const tools = provenance.inputs.length ? { tools: [...provenance.inputs] } : {};
  if (provenance.trust === 'untrusted')
    return { source: { kind: 'tool', ...where, ...tools }, trust: 'untrusted' };
  if (provenance.inputs.length)
    return { source: { kind: 'tool', ...where, ...tools }, trust: 'trusted' };
  const kind = provenance.via === 'model' ? 'model' : 'user';
  return { source: { kind, ...where }, trust: 'trusted' };
}

/**
 * One user's long-term memory in the memory skill: facts in the user's key-value namespace (the
 * source of truth, with a storage TTL so expired facts go even if the user never returns) and
 * their vectors in the user's vector namespace (rebuilt when the embedding model changes).
 */
export class MemoryStore {
  private readonly kv: ScopedKeyValueStore;
  private readonly vectors: ScopedVectorIndex;
  private readonly embeddings: EmbeddingModel;
  private readonly policy: MemoryPolicy;
  private readonly now: () => number;

  constructor(parts: MemoryStoreParts) {
    this.kv = parts.kv;
    this.vectors = parts.vectors;
    this.embeddings = parts.embeddings;
    this.policy = parts.policy;
    this.now = parts.now ?? Date.now;
  }

  /** Every fact that has not expired (expired ones are removed on the way), newest first. */
  async all(): Promise<MemoryFact[]> {
    return (await this.sweep()).facts;
  }

  /** Removes every expired fact (pinned and locked ones never expire); returns how many went. */
  async cleanup(): Promise<number> {
    return (await this.sweep()).removed;
  }

  /** Reads the facts once, removes the expired ones (and their vectors), returns the rest. */
  private async sweep(): Promise<{ facts: MemoryFact[]; removed: number }> {
    const now = this.now();
    const entries = await this.kv.list<MemoryFact>({ prefix: factPrefix });
    const facts: MemoryFact[] = [];
    const expired: MemoryFact[] = [];
    for (const { value } of entries) {
      if (!value || typeof value !== 'object' || typeof value.id !== 'string') continue;
      (isExpired(value, now) ? expired : facts).push(value);
    }
    if (expired.length) await this.remove(expired.map((fact) => fact.id));
    return { facts: facts.sort((a, b) => b.updatedAt - a.updatedAt), removed: expired.length };
  }

  async get(id: string): Promise<MemoryFact | undefined> {
    const fact = await this.kv.get<MemoryFact>(`${factPrefix}${id}`);
    if (!fact) return undefined;
    if (isExpired(fact, this.now())) {
      await this.remove([id]);
      return undefined;
    }
    return fact;
  }

  /**
   * Saves a fact, merging it into an existing one with the same normalized content or (unless
   * that one is locked) a near-duplicate by similarity. A fact from untrusted content is
   * quarantined. Past `maxFacts`, the least important unpinned, unlocked fact goes.
   */
  async save(
    input: NewFact,
    origin: { source: FactSource; trust: 'trusted' | 'untrusted' },
  ): Promise<SaveResult> {
    const content = input.content.replace(/\s+/g, ' ').trim().slice(0, maxContentLength);
    const normalized = normalizeFact(content);
    if (!normalized) {
      throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
        message: 'The fact has no words to remember.',
      });
    }
    const now = this.now();
    const incoming = {
      content,
      category: input.category ?? 'other',
      importance: input.importance ?? 0.5,
      pinned: input.pinned ?? false,
      ...origin,
    };
    const facts = await this.all();
    await this.ensureIndexed(facts);
    const exact = facts.find((fact) => fact.normalized === normalized);
    if (exact?.locked) return { fact: exact, outcome: 'unchanged' };
    const [vector] = (await this.embeddings.embed([content])).vectors;
    let target = exact;
    if (!target && vector) {
      const [closest] = await this.vectors.query(vector, { limit: 1 });
      const candidate = closest && facts.find((fact) => fact.id === closest.id);
      if (candidate && !candidate.locked && closest!.score >= this.policy.duplicateSimilarity)
        target = candidate;
    }
    if (target) {
      const merged = mergeFacts(target, incoming, now, this.policy);
      await this.write(merged, vector);
      return { fact: merged, outcome: 'merged' };
    }
    const fact: MemoryFact = {
      id: newFactId(),
      content,
      normalized,
      category: incoming.category,
      importance: incoming.importance,
      pinned: incoming.pinned,
      locked: false,
      status: origin.trust === 'untrusted' ? 'quarantined' : 'active',
      trust: origin.trust,
      source: origin.source,
      mentions: 1,
      createdAt: now,
      updatedAt: now,
      expiresAt: null,
    };
    fact.expiresAt = expiryFor(fact, now, this.policy);
    await this.evictFor(facts);
    await this.write(fact, vector);
    return { fact, outcome: 'saved' };
  }

  /**
   * The active facts closest to a question, ranked by similarity with importance and pinning
   * weighed in; quarantined facts never come back. `minSimilarity` drops distant ones.
   */
  async recall(
    query: string,
    options: { limit: number; minSimilarity?: number },
  ): Promise<RecalledFact[]> {
    const facts = (await this.all()).filter((fact) => fact.status === 'active');
    if (facts.length === 0) return [];
    await this.ensureIndexed(facts);
    const now = this.now();
    const byId = new Map(facts.map((fact) => [fact.id, fact]));
    const [vector] = (await this.embeddings.embed([query])).vectors;
    const similarity = new Map<string, number>();
    if (vector) {
      const matches = await this.vectors.query(vector, {
        limit: Math.min(1000, Math.max(options.limit * 4, 20)),
        filter: { status: 'active' },
      });
      const orphans = matches.filter((match) => !byId.has(match.id)).map((match) => match.id);
      if (orphans.length) await this.vectors.delete(orphans);
      for (const match of matches) if (byId.has(match.id)) similarity.set(match.id, match.score);
    }
    const minimum = options.minSimilarity ?? Number.NEGATIVE_INFINITY;
    return facts
      .map((fact) => {
        const close = similarity.get(fact.id) ?? 0;
        const score =
          close + 0.3 * effectiveImportance(fact, now, this.policy) + (fact.pinned ? 1 : 0);
        return { fact, similarity: close, score };
      })
      .filter((found) => found.fact.pinned || found.similarity >= minimum)
      .sort((a, b) => b.score - a.score)
      .slice(0, options.limit);
  }

  /**
   * Forgets a fact by id, or the fact whose words match best (the same normalized text, then
   * the closest one by similarity, at least 0.5). Locked facts are refused.
   */
  async forget(target: string): Promise<{ forgotten?: MemoryFact; locked?: MemoryFact }> {
    const trimmed = target.trim();
    let fact = /^mem_[A-Za-z0-9]+$/.test(trimmed) ? await this.get(trimmed) : undefined;
    if (!fact) {
      const facts = await this.all();
      const normalized = normalizeFact(trimmed);
      fact =
        facts.find((each) => each.normalized === normalized) ??
        facts.find((each) => normalized.length >= 4 && each.normalized.includes(normalized));
      if (!fact && facts.length) {
        await this.ensureIndexed(facts);
        const [vector] = (await this.embeddings.embed([trimmed])).vectors;
        const [best] = vector ? await this.vectors.query(vector, { limit: 1 }) : [];
        if (best && best.score >= 0.5) fact = facts.find((each) => each.id === best.id);
      }
    }
    if (!fact) return {};
    if (fact.locked) return { locked: fact };
    await this.remove([fact.id]);
    return { forgotten: fact };
  }

  /** Pins or unpins a fact; an unpinned fact's expiry starts again from now. */
  async setPinned(id: string, pinned: boolean): Promise<MemoryFact | undefined> {
    return this.update(id, (fact) => ({ ...fact, pinned }));
  }

  /** Locks or unlocks a fact. */
  async setLocked(id: string, locked: boolean): Promise<MemoryFact | undefined> {
    return this.update(id, (fact) => ({ ...fact, locked }));
  }

  /** Makes a quarantined fact active (the user approved it); its trust stays as it was. */
  async approve(id: string): Promise<MemoryFact | undefined> {
    return this.update(id, (fact) => ({ ...fact, status: 'active' }));
  }

  private async update(
    id: string,
    change: (fact: MemoryFact) => MemoryFact,
  ): Promise<MemoryFact | undefined> {
    const fact = await this.get(id);
    if (!fact) return undefined;
    const now = this.now();
    const changed = change(fact);
    const wasExempt = isExempt(fact);
    const expiresAt = isExempt(changed)
      ? null
      : wasExempt
        ? expiryFor(changed, now, this.policy)
        : fact.expiresAt;
    const next = { ...changed, expiresAt };
    const [stored] = await this.vectors.get([id]);
    await this.write(next, stored?.vector);
    return next;
  }

  /** Stores the fact (with a storage TTL when it expires) and its vector. */
  private async write(fact: MemoryFact, vector: number[] | undefined): Promise<void> {
    const ttlMs = fact.expiresAt === null ? undefined : Math.max(1, fact.expiresAt - this.now());
    await this.kv.set(`${factPrefix}${fact.id}`, fact, ttlMs === undefined ? {} : { ttlMs });
    const embedded = vector ?? (await this.embeddings.embed([fact.content])).vectors[0];
    if (!embedded) return;
    await this.vectors.upsert([
      {
        id: fact.id,
        vector: embedded,
        payload: { status: fact.status, category: fact.category, pinned: fact.pinned },
      },
    ]);
  }

  private async remove(ids: string[]): Promise<void> {
    for (const id of ids) await this.kv.delete(`${factPrefix}${id}`);
    await this.vectors.delete(ids);
  }

  /** Past `maxFacts`, drops the least important facts that are not pinned or locked. */
  private async evictFor(facts: MemoryFact[]): Promise<void> {
    const excess = facts.length + 1 - this.policy.maxFacts;
    if (excess <= 0) return;
    const now = this.now();
    const victims = facts
      .filter((fact) => !isExempt(fact))
      .sort(
        (a, b) =>
          effectiveImportance(a, now, this.policy) - effectiveImportance(b, now, this.policy),
      )
      .slice(0, excess);
    if (victims.length) await this.remove(victims.map((fact) => fact.id));
  }

  /**
   * Vectors live in a namespace per embedding model: after a change of model (or a lost
   * index) the facts are embedded again, once.
   */
  private async ensureIndexed(facts: MemoryFact[]): Promise<void> {
    if (facts.length === 0) return;
    const flag = `indexed:${this.embeddings.provider}.${this.embeddings.model}`;
    if (await this.kv.get(flag)) return;
    if ((await this.vectors.count()) < facts.length) {
      const { vectors } = await this.embeddings.embed(facts.map((fact) => fact.content));
      await this.vectors.upsert(
        facts.map((fact, index) => ({
          id: fact.id,
          vector: vectors[index]!,
          payload: { status: fact.status, category: fact.category, pinned: fact.pinned },
        })),
      );
    }
    await this.kv.set(flag, true);
  }
}
