import { createHash } from 'node:crypto';
import { BotwireError, type EmbeddingModel, lexicalEmbeddingModel } from '@botwire/core';
import type { KnowledgeEntry } from './knowledge-base';
import type { SynonymGroup } from './synonyms';
import { contentStems, splitWords, stemWord } from './text-analysis';

/** The format version of {@link FaqIndex}; an index of another version is rebuilt. */
export const faqIndexVersion = 1;

/** One entry's terms, for BM25: term counts of its title and of its body. */
export interface FaqIndexDocument {
  id: string;
  language: string;
  titleTerms: Record<string, number>;
  bodyTerms: Record<string, number>;
  /** The weighted length: title terms × title weight + body terms. */
  length: number;
}

/**
 * A built FAQ index: plain data, JSON-serializable (see {@link faqIndexToJson}), built once per
 * knowledge base by {@link buildFaqIndex}. `hash` changes whenever the entries or synonyms do.
 */
export interface FaqIndex {
  version: number;
  /** {@link faqContentHash} of the entries and synonyms it was built from. */
  hash: string;
  entries: KnowledgeEntry[];
  synonyms: SynonymGroup[];
  documents: FaqIndexDocument[];
  /** In how many documents each term occurs. */
  documentFrequency: Record<string, number>;
  averageLength: number;
  /** A surface word for each term, for building the text that is embedded. */
  surface: Record<string, string>;
  embeddings: { model: string; dimensions: number; vectors: number[][] };
}

/** Options for {@link buildFaqIndex}. */
export interface BuildFaqIndexOptions {
  /** The embeddings model; default the embedded `lexicalEmbeddingModel()` of `@botwire/core`. */
  embeddings?: EmbeddingModel;
}

/** How much more a title word counts than a body word. */
export const titleWeight = 3;

function countTerms(stems: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const stem of stems) counts[stem] = (counts[stem] ?? 0) + 1;
  return counts;
}

/** How an index names the embeddings model it was built with (`lexical:lexical-v1:512`). */
export function embeddingModelName(model: EmbeddingModel): string {
  return `${model.provider}:${model.model}:${model.dimensions ?? 'any'}`;
}

/**
 * The content hash of a knowledge base and its synonyms (and of this engine's index format): a
 * stored index whose `hash` differs from it is stale and must be rebuilt.
 */
export function faqContentHash(
  entries: readonly KnowledgeEntry[],
  synonyms: readonly SynonymGroup[],
  embeddingModel = 'lexical:lexical-v1:512',
): string {
  const content = JSON.stringify({
    version: faqIndexVersion,
    embeddingModel,
    entries: entries.map(({ id, language, title, text }) => [id, language, title, text]),
    synonyms: synonyms.map(({ canonical, variants }) => [canonical, variants]),
  });
  return createHash('sha256').update(content).digest('hex');
}

/** The text of an entry that is embedded: its title twice (it says the most), then its body. */
export function entryEmbeddingText(entry: KnowledgeEntry): string {
  return `${entry.title}. ${entry.title}. ${entry.text}`;
}

/**
 * Builds the retrieval index of a knowledge base: BM25 term statistics over title and body (title
 * weighted {@link titleWeight}×), the entry embeddings, and the synonyms. Entries of every
 * language go into one index; ids are shared across languages.
 *
 * @example
 * const entries = await loadKnowledgeBase(['knowledge/knowledge.ru.md', 'knowledge/knowledge.en.md']);
 * const index = await buildFaqIndex(entries, await loadSynonyms('knowledge/synonyms.txt'));
 */
export async function buildFaqIndex(
  entries: readonly KnowledgeEntry[],
  synonyms: readonly SynonymGroup[] = [],
  options: BuildFaqIndexOptions = {},
): Promise<FaqIndex> {
  if (entries.length === 0) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: 'buildFaqIndex() needs at least one knowledge base entry.',
    });
  }
  const model = options.embeddings ?? lexicalEmbeddingModel();
  const surface: Record<string, string> = {};
  const remember = (text: string) => {
    for (const word of splitWords(text)) {
      const stem = stemWord(word);
      if (!(stem in surface)) surface[stem] = word;
    }
  };
  const documentFrequency: Record<string, number> = {};
  const documents = entries.map((entry): FaqIndexDocument => {
    remember(`${entry.title} ${entry.text}`);
    const title = contentStems(entry.title);
    const body = contentStems(entry.text);
    const titleTerms = countTerms(title);
    const bodyTerms = countTerms(body);
    for (const term of new Set([...title, ...body])) {
      documentFrequency[term] = (documentFrequency[term] ?? 0) + 1;
    }
    return {
      id: entry.id,
      language: entry.language,
      titleTerms,
      bodyTerms,
      length: title.length * titleWeight + body.length,
    };
  });
  for (const group of synonyms) remember([group.canonical, ...group.variants].join(' '));
  const averageLength =
    documents.reduce((sum, document) => sum + document.length, 0) / documents.length;
  const { vectors } = await model.embed(entries.map(entryEmbeddingText));
  return {
    version: faqIndexVersion,
    hash: faqContentHash(entries, synonyms, embeddingModelName(model)),
    entries: entries.map((entry) => ({ ...entry })),
    synonyms: synonyms.map((group) => ({ ...group, variants: [...group.variants] })),
    documents,
    documentFrequency,
    averageLength,
    surface,
    embeddings: {
      model: embeddingModelName(model),
      dimensions: vectors[0]?.length ?? 0,
      vectors,
    },
  };
}

/** The index as a JSON string, to keep in the skill's data directory. */
export function faqIndexToJson(index: FaqIndex): string {
  return JSON.stringify(index);
}

/**
 * An index back from {@link faqIndexToJson}. Throws `BOTWIRE_INVALID_ARGUMENT` for JSON that is
 * not an index of this version (rebuild it then).
 */
export function faqIndexFromJson(json: string): FaqIndex {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: 'The stored FAQ index is not valid JSON; rebuild it with buildFaqIndex().',
      cause,
    });
  }
  const index = value as Partial<FaqIndex> | null;
  if (
    !index ||
    index.version !== faqIndexVersion ||
    !Array.isArray(index.entries) ||
    !Array.isArray(index.documents) ||
    !index.embeddings ||
    index.embeddings.vectors.length !== index.entries.length
  ) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `The stored FAQ index is not a version ${faqIndexVersion} index; rebuild it with buildFaqIndex().`,
    });
  }
  return index as FaqIndex;
}

/**
 * True when `index` was built from exactly these entries and synonyms (and this index format):
 * when false, rebuild it.
 */
export function isFaqIndexCurrent(
  index: FaqIndex,
  entries: readonly KnowledgeEntry[],
  synonyms: readonly SynonymGroup[],
): boolean {
  return (
    index.version === faqIndexVersion &&
    index.hash === faqContentHash(entries, synonyms, index.embeddings.model)
  );
}
