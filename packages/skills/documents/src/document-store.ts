import { createHash, randomBytes } from 'node:crypto';
import type {
  EmbeddingModel,
  ScopedKeyValueStore,
  ScopedVectorIndex,
  VectorRecord,
} from '@botwire/core';
import type { DocumentChunk } from './chunk/chunk-document';
import type { DocumentFormat } from './extract/extracted-document';

/** One document a user uploaded. */
export interface DocumentRecord {
  /** `doc_` and a random part. */
  id: string;
  /** The file name as sent. */
  name: string;
  /** The document's own title, when it has one. */
  title?: string;
  format: DocumentFormat;
  pages: number;
  chunks: number;
  bytes: number;
  /** SHA-256 of the file: the same file sent twice is kept once. */
  sha256: string;
  addedAt: string;
  /** Where it came from. */
  source?: { platform: string; messageId: string };
  note?: string;
}

/** A passage found by a search, with what a citation needs. */
export interface DocumentHit {
  documentId: string;
  fileName: string;
  page: number;
  pageEnd?: number;
  heading?: string[];
  text: string;
  score: number;
}

const documentPrefix = 'doc:';
const chunksPerKey = 100;
const embedBatch = 64;

/** A new document id: `doc_` and 12 random base-32 characters. */
function newDocumentId(): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  return `doc_${Array.from(randomBytes(12), (byte) => alphabet[byte & 31]).join('')}`;
}

/** SHA-256 of the bytes, in hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const headingText = (heading: string[] | undefined) => heading?.join(' › ') ?? '';

/**
 * One user's documents in the documents skill: a record per document and its passages in the
 * user's key-value namespace (the source of truth), and a vector per passage in the user's
 * vector namespace (rebuilt from the passages when the embedding model changes).
 */
export class DocumentStore {
  constructor(
    private readonly kv: ScopedKeyValueStore,
    private readonly vectors: ScopedVectorIndex,
    private readonly embeddings: EmbeddingModel,
  ) {}

  /** Every document, newest first. */
  async list(): Promise<DocumentRecord[]> {
    const entries = await this.kv.list<DocumentRecord>({ prefix: documentPrefix });
    return entries
      .map((entry) => entry.value)
      .filter((value) => value && typeof value.id === 'string')
      .sort((a, b) => b.addedAt.localeCompare(a.addedAt));
  }

  get(id: string): Promise<DocumentRecord | undefined> {
    return this.kv.get<DocumentRecord>(`${documentPrefix}${id}`);
  }

  /**
   * Stores a document and indexes its passages, in batches; `progress` hears how many are done.
   * Nothing is left half-written: when indexing fails, what was written is removed.
   */
  async add(
    record: Omit<DocumentRecord, 'id' | 'chunks'>,
    chunks: DocumentChunk[],
    options: { signal?: AbortSignal } = {},
  ): Promise<DocumentRecord> {
    const document: DocumentRecord = { ...record, id: newDocumentId(), chunks: chunks.length };
    try {
      for (let start = 0; start < chunks.length; start += chunksPerKey) {
        await this.kv.set(
          `chunks:${document.id}:${start / chunksPerKey}`,
          chunks.slice(start, start + chunksPerKey),
        );
      }
      await this.index(document, chunks, options.signal);
      await this.kv.set(`${documentPrefix}${document.id}`, document);
    } catch (error) {
      await this.remove(document).catch(() => undefined);
      throw error;
    }
    return document;
  }

  /** Removes a document, its passages and its vectors. */
  async remove(document: Pick<DocumentRecord, 'id' | 'chunks'>): Promise<void> {
    await this.vectors.deleteWhere({ documentId: document.id });
    for (let batch = 0; batch * chunksPerKey < Math.max(1, document.chunks); batch++)
      await this.kv.delete(`chunks:${document.id}:${batch}`);
    await this.kv.delete(`${documentPrefix}${document.id}`);
  }

  /**
   * The passages closest to the query, among the user's `documents` (as {@link list} gave
   * them), only in `within` when it is given.
   */
  async search(
    query: string,
    options: { limit: number; documents: DocumentRecord[]; within?: DocumentRecord[] },
  ): Promise<DocumentHit[]> {
    const { documents } = options;
    if (documents.length === 0) return [];
    await this.ensureIndexed(documents);
    const [vector] = (await this.embeddings.embed([query])).vectors;
    if (!vector) return [];
    const only = options.within?.map((document) => document.id);
    const matches = await this.vectors.query(vector, {
      limit: options.limit,
      ...(only?.length ? { filter: { documentId: only } } : {}),
    });
    const names = new Map(documents.map((document) => [document.id, document.name]));
    return matches.flatMap((match) => {
      const payload = match.payload as Record<string, unknown>;
      const documentId = String(payload.documentId ?? '');
      const fileName = names.get(documentId);
      if (!fileName) return [];
      return [
        {
          documentId,
          fileName,
          page: Number(payload.page ?? 1),
          ...(typeof payload.pageEnd === 'number' ? { pageEnd: payload.pageEnd } : {}),
          ...(Array.isArray(payload.heading) && payload.heading.length
            ? { heading: payload.heading as string[] }
            : {}),
          text: String(payload.text ?? ''),
          score: match.score,
        },
      ];
    });
  }

  /**
   * The documents a phrase names: an id, else the file names and titles closest to it by the
   * embeddings (inflected forms match: "договоре" finds "Договор аренды.pdf"), among the
   * user's `documents` (as {@link list} gave them).
   */
  async resolve(phrase: string, documents: DocumentRecord[]): Promise<DocumentRecord[]> {
    const trimmed = phrase.trim();
    const byId = documents.find((document) => document.id === trimmed);
    if (byId) return [byId];
    const lower = trimmed.toLowerCase();
    const byName = documents.filter((document) => document.name.toLowerCase() === lower);
    if (byName.length) return byName;
    if (documents.length === 0) return [];
    const labels = documents.map((document) =>
      `${document.name.replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/[_-]+/g, ' ')} ${document.title ?? ''}`.trim(),
    );
    const { vectors } = await this.embeddings.embed([trimmed, ...labels]);
    const [target, ...candidates] = vectors;
    if (!target) return [];
    const cosine = (a: number[], b: number[]) => {
      let dot = 0;
      let normA = 0;
      let normB = 0;
      for (let index = 0; index < a.length; index++) {
        dot += a[index]! * b[index]!;
        normA += a[index]! * a[index]!;
        normB += b[index]! * b[index]!;
      }
      return dot / (Math.sqrt(normA * normB) || 1);
    };
    const scored = candidates.map((candidate, index) => ({
      document: documents[index]!,
      score: cosine(target, candidate),
    }));
    const best = Math.max(...scored.map((item) => item.score));
    if (best < 0.3) return [];
    return scored.filter((item) => item.score >= best - 0.05).map((item) => item.document);
  }

  private async chunksOf(document: DocumentRecord): Promise<DocumentChunk[]> {
    const chunks: DocumentChunk[] = [];
    for (let batch = 0; batch * chunksPerKey < document.chunks; batch++)
      chunks.push(
        ...((await this.kv.get<DocumentChunk[]>(`chunks:${document.id}:${batch}`)) ?? []),
      );
    return chunks;
  }

  private async index(
    document: DocumentRecord,
    chunks: DocumentChunk[],
    signal?: AbortSignal,
  ): Promise<void> {
    for (let start = 0; start < chunks.length; start += embedBatch) {
      signal?.throwIfAborted();
      const batch = chunks.slice(start, start + embedBatch);
      // The heading goes into what is embedded, so "штрафы" finds a passage under "5. Штрафы".
      const { vectors } = await this.embeddings.embed(
        batch.map((chunk) => `${headingText(chunk.heading)}\n${chunk.text}`.trim()),
        signal ? { signal } : {},
      );
      const records: VectorRecord[] = batch.map((chunk, index) => ({
        id: `${document.id}:${chunk.index}`,
        vector: vectors[index]!,
        payload: {
          documentId: document.id,
          page: chunk.page,
          ...(chunk.pageEnd !== undefined ? { pageEnd: chunk.pageEnd } : {}),
          ...(chunk.heading?.length ? { heading: chunk.heading } : {}),
          index: chunk.index,
          text: chunk.text,
        },
      }));
      await this.vectors.upsert(records);
    }
  }

  /** After a change of embedding model the namespace is empty: index every document again, once. */
  private async ensureIndexed(documents: DocumentRecord[]): Promise<void> {
    const flag = `indexed:${this.embeddings.provider}.${this.embeddings.model}`;
    if (await this.kv.get(flag)) return;
    if ((await this.vectors.count()) === 0) {
      for (const document of documents) await this.index(document, await this.chunksOf(document));
    }
    await this.kv.set(flag, true);
  }
}
