/** A value a filter can match: payload fields are compared exactly. */
export type VectorFilterValue = string | number | boolean;

/**
 * Which records a query, count or delete applies to: every field must match. A field's value
 * is matched exactly; an array matches when the field equals any of its items.
 *
 * @example
 * { kind: 'document', documentId: ['doc_1', 'doc_2'] }
 */
export type VectorFilter = Record<string, VectorFilterValue | readonly VectorFilterValue[]>;

/** One stored vector with its payload. */
export interface VectorRecord {
  /** Unique within the namespace: upserting the same id replaces the record. */
  id: string;
  vector: number[];
  /** JSON-serializable data returned with a match (the text, its source, the owner). */
  payload: Record<string, unknown>;
}

/** A match of {@link VectorIndex.query}. */
export interface VectorMatch extends VectorRecord {
  /** Cosine similarity, higher is closer (1 for the same direction). */
  score: number;
}

/** Options of {@link VectorIndex.query}. */
export interface VectorQueryOptions {
  /** How many matches at most, best first. Default 10. */
  limit?: number;
  /** Only records whose payload matches. */
  filter?: VectorFilter;
  /** Only matches with at least this score. */
  minScore?: number;
}

/**
 * The vector index port. The embedded driver keeps vectors with the bot's storage and searches
 * in process; the production one is Qdrant. A namespace separates bots, users and skills
 * (`bot:assistant/user:usr_1/memory`): no call ever reads across namespaces. A namespace holds
 * vectors of one length, fixed by its first upsert. Every driver passes
 * `runVectorIndexContract` from `@botwire/core/contract-suites`.
 *
 * @example
 * await index.upsert('bot:demo/user:usr_1/docs', [{ id: 'c1', vector, payload: { text } }]);
 * const [best] = await index.query('bot:demo/user:usr_1/docs', queryVector, { limit: 3 });
 */
export interface VectorIndex {
  /** `embedded`, `qdrant`, ... */
  readonly name: string;
  /** Connects or loads what it needs; calls made before it open the index themselves. */
  open?(): Promise<void>;
  /** Adds or replaces records. Throws BOTWIRE_INVALID_ARGUMENT on a vector of another length. */
  upsert(namespace: string, records: VectorRecord[]): Promise<void>;
  /** The closest records to `vector` by cosine similarity, best first. */
  query(namespace: string, vector: number[], options?: VectorQueryOptions): Promise<VectorMatch[]>;
  /** Removes records by id; ids that are not there are ignored. */
  delete(namespace: string, ids: string[]): Promise<void>;
  /** Removes every record whose payload matches, and returns how many. */
  deleteWhere(namespace: string, filter: VectorFilter): Promise<number>;
  /** How many records the namespace holds (those that match `filter`, when given). */
  count(namespace: string, filter?: VectorFilter): Promise<number>;
  /** Records by id, in the order asked, without those that are not there. */
  get(namespace: string, ids: string[]): Promise<VectorRecord[]>;
  /**
   * Optional: one request to the index's server that reads no records (Qdrant: list the
   * collections, which also checks the API key); resolves with its latency in ms, or fails as
   * other calls do. `botwire doctor` uses it; an index without a server leaves it out.
   */
  ping?(): Promise<number>;
  close(): Promise<void>;
}

/**
 * A vector index bound to one namespace, as a tool handler gets it (`context.vectors`): the
 * runtime picks the namespace (the bot, the user, the skill), so a tool cannot reach another
 * user's vectors.
 */
export interface ScopedVectorIndex {
  upsert(records: VectorRecord[]): Promise<void>;
  query(vector: number[], options?: VectorQueryOptions): Promise<VectorMatch[]>;
  delete(ids: string[]): Promise<void>;
  deleteWhere(filter: VectorFilter): Promise<number>;
  count(filter?: VectorFilter): Promise<number>;
  get(ids: string[]): Promise<VectorRecord[]>;
}
