/** One stored vector with its payload. */
export interface VectorRecord {
  /** Unique within the collection. */
  id: string;
  vector: number[];
  /** JSON-serializable data returned with a match (the text, its source, the owner). */
  payload: Record<string, unknown>;
}

/** A match of {@link VectorIndex.query}. */
export interface VectorMatch extends VectorRecord {
  /** Cosine similarity, higher is closer. */
  score: number;
}

/**
 * The vector index port: the embedded driver keeps vectors with storage, the production one
 * is Qdrant. Collections separate users and skills; `filter` matches payload fields exactly.
 * No driver ships yet: the memory and documents skill brings the first.
 */
export interface VectorIndex {
  readonly name: string;
  upsert(collection: string, records: VectorRecord[]): Promise<void>;
  query(
    collection: string,
    vector: number[],
    options?: { limit?: number; filter?: Record<string, unknown>; minScore?: number },
  ): Promise<VectorMatch[]>;
  delete(collection: string, ids: string[]): Promise<void>;
  close(): Promise<void>;
}
