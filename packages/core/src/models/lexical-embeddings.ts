import { BotwireError } from '../errors/botwire-error';
import type { EmbeddingModel } from '../ports/embedding-model';
import { lexicalStem, lexicalWords } from './lexical-stemmer';

/** Options for {@link lexicalEmbeddingModel}. */
export interface LexicalEmbeddingOptions {
  /** The length of every vector. Default 512. */
  dimensions?: number;
}

/** How much the character trigrams of one word weigh, next to its stem (which weighs 1). */
const trigramWeight = 0.6;

/** FNV-1a over UTF-16 code units, then the murmur3 finalizer so that every bit is mixed. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  value ^= value >>> 16;
  value = Math.imul(value, 0x85ebca6b);
  value ^= value >>> 13;
  value = Math.imul(value, 0xc2b2ae35);
  value ^= value >>> 16;
  return value >>> 0;
}

function addFeature(vector: Float64Array, feature: string, weight: number): void {
  const value = hash(feature);
  const bucket = (value >>> 1) % vector.length;
  vector[bucket]! += value & 1 ? weight : -weight;
}

/** The features of one word: its stem, and the character trigrams of `#word#`. */
function addWord(vector: Float64Array, word: string): void {
  addFeature(vector, `w:${lexicalStem(word)}`, 1);
  const padded = `#${word}#`;
  const count = Math.max(1, padded.length - 2);
  const weight = trigramWeight / Math.sqrt(count);
  for (let index = 0; index + 3 <= padded.length; index++) {
    addFeature(vector, `t:${padded.slice(index, index + 3)}`, weight);
  }
}

/** The lexical vector of one text, L2-normalized; all zeros for a text without words. */
function embedText(text: string, dimensions: number): number[] {
  const vector = new Float64Array(dimensions);
  for (const word of lexicalWords(text)) addWord(vector, word);
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  return Array.from(vector, (value) => (norm > 0 ? value / norm : 0));
}

/**
 * The embedded embeddings driver: no model, no network, no setup. A text becomes its words
 * (lower-case, Unicode letters and digits, common words dropped), their stems by a light
 * English and Russian stemmer, and the character trigrams of each word, hashed (FNV-1a, with
 * a sign bit) into `dimensions` buckets and L2-normalized. Texts that share words or word
 * roots score high with {@link cosineSimilarity}; it knows no synonyms. The same text always
 * gives the same vector, across processes and versions of Node.
 *
 * @example
 * const model = lexicalEmbeddingModel();
 * const { vectors } = await model.embed(['напомни про встречу', 'напоминание о встрече']);
 * cosineSimilarity(vectors[0]!, vectors[1]!); // about 0.5: shared roots
 */
export function lexicalEmbeddingModel(options: LexicalEmbeddingOptions = {}): EmbeddingModel {
  const dimensions = options.dimensions ?? 512;
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `The lexical embeddings' dimensions must be a positive whole number; got ${String(dimensions)}.`,
    });
  }
  return {
    provider: 'lexical',
    model: 'lexical-v1',
    dimensions,
    async embed(texts, embedOptions = {}) {
      embedOptions.signal?.throwIfAborted();
      if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string')) {
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: 'embed() takes a list of strings.',
        });
      }
      return { vectors: texts.map((text) => embedText(text, dimensions)) };
    },
  };
}

/**
 * The cosine of the angle between two vectors of one length: 1 for the same direction, 0 for
 * unrelated (or when either is all zeros).
 */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `Vectors of different lengths (${a.length} and ${b.length}) cannot be compared.`,
    });
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    dot += a[index]! * b[index]!;
    normA += a[index]! * a[index]!;
    normB += b[index]! * b[index]!;
  }
  return normA > 0 && normB > 0 ? dot / Math.sqrt(normA * normB) : 0;
}
