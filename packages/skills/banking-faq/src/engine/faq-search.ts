import { BotwireError, type EmbeddingModel, lexicalEmbeddingModel } from '@botwire/core';
import type { FaqIndex } from './faq-index';
import { embeddingModelName, titleWeight } from './faq-index';
import { contentStems, isStopWord, splitWords, stemWord } from './text-analysis';
import { nearestTerms, switchKeyboardLayout } from './typo-correction';

/** Which parts of the retrieval to use; all on by default (off: for baselines and tests). */
export interface FaqSearchFeatures {
  synonyms?: boolean;
  typos?: boolean;
  embeddings?: boolean;
}

/** Options for {@link searchFaqIndex}. */
export interface SearchFaqIndexOptions {
  /** The embeddings model the index was built with; default `lexicalEmbeddingModel()`. */
  embeddings?: EmbeddingModel;
  features?: FaqSearchFeatures;
  /** How many hits to return; default 5. */
  limit?: number;
}

/** One entry id found for a question, with the signals behind its score. */
export interface FaqHit {
  id: string;
  /** The combined relevance, 0–1; what the answer threshold is compared with. */
  score: number;
  /** The share of the question's words (weighted by rarity) found in the entry, 0–1. */
  coverage: number;
  /** The cosine similarity of the question's and the entry's embeddings. */
  cosine: number;
  /** The share of the question's words found in the entry's title, 0–1. */
  titleCoverage: number;
  /** The raw BM25 score. */
  bm25: number;
}

/** One word of the question and the index terms (or phrases) that may stand for it. */
interface Concept {
  word: string;
  alternatives: { stems: string[]; weight: number }[];
}

interface Prepared {
  vocabulary: string[];
  known: Set<string>;
  phrases: { stems: string[]; group: number }[];
  groupStems: string[][];
  idf: (term: string) => number;
  maxIdf: number;
}

const k1 = 1.2;
const b = 0.75;
const prepared = new WeakMap<FaqIndex, Prepared>();
const defaultModel = lexicalEmbeddingModel();

function prepare(index: FaqIndex): Prepared {
  const cached = prepared.get(index);
  if (cached) return cached;
  const count = index.documents.length;
  const idf = (term: string) => {
    const frequency = index.documentFrequency[term] ?? 0;
    return Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5));
  };
  const phrases: Prepared['phrases'] = [];
  const groupStems = index.synonyms.map((group, position) => {
    const stems = new Set<string>();
    for (const phrase of [group.canonical, ...group.variants]) {
      const phraseStems = contentStems(phrase);
      if (phraseStems.length === 0) continue;
      phrases.push({ stems: phraseStems, group: position });
      for (const stem of phraseStems) stems.add(stem);
    }
    return [...stems];
  });
  const known = new Set([...Object.keys(index.documentFrequency), ...groupStems.flat()]);
  const result: Prepared = {
    vocabulary: [...known],
    known,
    phrases,
    groupStems,
    idf,
    maxIdf: idf(''),
  };
  prepared.set(index, result);
  return result;
}

function analyze(index: FaqIndex, question: string, features: FaqSearchFeatures): Concept[] {
  const { known, vocabulary, phrases } = prepare(index);
  const words = splitWords(question).filter(
    (word) => !isStopWord(word) && (word.length > 1 || /\d/.test(word)),
  );
  const concepts: Concept[] = words.map((word) => {
    const stem = stemWord(word);
    if (known.has(stem) || !features.typos) {
      return { word, alternatives: [{ stems: [stem], weight: 1 }] };
    }
    const switched = switchKeyboardLayout(word);
    if (switched && known.has(stemWord(switched))) {
      return { word, alternatives: [{ stems: [stemWord(switched)], weight: 1 }] };
    }
    const near = /^\d+$/.test(stem) ? [] : nearestTerms(stem, vocabulary);
    return {
      word,
      alternatives: near.length
        ? near.map((term) => ({ stems: [term], weight: stem.length >= 6 ? 0.85 : 0.6 }))
        : [{ stems: [stem], weight: 1 }],
    };
  });
  if (!features.synonyms) return concepts;
  const primary = concepts.map((concept) => concept.alternatives[0]!.stems[0]!);
  for (const phrase of phrases) {
    const length = phrase.stems.length;
    for (let start = 0; start + length <= primary.length; start++) {
      if (!phrase.stems.every((stem, offset) => primary[start + offset] === stem)) continue;
      for (let position = start; position < start + length; position++) {
        const concept = concepts[position]!;
        for (const other of phrasesOf(phrase.group, phrases)) {
          if (other.length === 1 && other[0] === primary[position]) continue;
          concept.alternatives.push({ stems: other, weight: 0.8 });
        }
      }
    }
  }
  return concepts;
}

function phrasesOf(group: number, phrases: Prepared['phrases']): string[][] {
  return phrases.filter((phrase) => phrase.group === group).map((phrase) => phrase.stems);
}

function termCount(index: FaqIndex, document: number, term: string): number {
  const entry = index.documents[document]!;
  return (entry.titleTerms[term] ?? 0) * titleWeight + (entry.bodyTerms[term] ?? 0);
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let position = 0; position < a.length; position++) {
    dot += a[position]! * b[position]!;
    normA += a[position]! * a[position]!;
    normB += b[position]! * b[position]!;
  }
  return normA > 0 && normB > 0 ? dot / Math.sqrt(normA * normB) : 0;
}

/** The text embedded for a question: its words, their corrections and their synonyms. */
function expandedText(index: FaqIndex, question: string, concepts: readonly Concept[]): string {
  const extra = concepts.flatMap((concept) =>
    concept.alternatives.flatMap((alternative) =>
      alternative.stems.map((stem) => index.surface[stem] ?? stem),
    ),
  );
  return `${question} ${extra.join(' ')}`;
}

/**
 * The entry ids that best answer a question, best first: BM25 over title and body with typo
 * correction and the index's synonyms, combined with the share of the question's words an entry
 * covers and the embeddings' cosine. Entries of all languages compete; an id's score is its best
 * language's.
 */
export async function searchFaqIndex(
  index: FaqIndex,
  question: string,
  options: SearchFaqIndexOptions = {},
): Promise<FaqHit[]> {
  const features = { synonyms: true, typos: true, embeddings: true, ...options.features };
  const { idf, maxIdf } = prepare(index);
  const concepts = analyze(index, question, features);
  let vector: number[] | undefined;
  if (features.embeddings) {
    const model = options.embeddings ?? defaultModel;
    const name = embeddingModelName(model);
    if (name !== index.embeddings.model) {
      throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
        message: `The FAQ index was built with the embeddings ${index.embeddings.model}; pass that model, not ${name}.`,
      });
    }
    vector = (await model.embed([expandedText(index, question, concepts)])).vectors[0];
  }
  const conceptWeight = concepts.map((concept) => {
    const knownIdf = Math.max(
      0,
      ...concept.alternatives.map((alternative) =>
        Math.max(
          ...alternative.stems.map((stem) =>
            index.documentFrequency[stem] ? idf(stem) * alternative.weight : 0,
          ),
        ),
      ),
    );
    if (knownIdf > 0) return knownIdf;
    return /^\d+$/.test(concept.word) ? maxIdf * 0.3 : maxIdf * 0.6;
  });
  const totalWeight = conceptWeight.reduce((sum, weight) => sum + weight, 0);
  const hits = new Map<string, FaqHit>();
  index.documents.forEach((document, position) => {
    let bm25 = 0;
    let covered = 0;
    let titled = 0;
    concepts.forEach((concept, conceptPosition) => {
      let best = 0;
      let bestCoverage = 0;
      let titleBest = 0;
      for (const alternative of concept.alternatives) {
        let score = 0;
        let present = 0;
        for (const stem of alternative.stems) {
          const count = termCount(index, position, stem);
          if (count === 0) continue;
          present++;
          const norm = k1 * (1 - b + (b * document.length) / index.averageLength);
          score += (idf(stem) * count * (k1 + 1)) / (count + norm);
        }
        const share = present / alternative.stems.length;
        if (alternative.stems.some((stem) => document.titleTerms[stem])) {
          titleBest = Math.max(titleBest, alternative.weight);
        }
        best = Math.max(best, (alternative.weight * score) / Math.sqrt(alternative.stems.length));
        bestCoverage = Math.max(bestCoverage, alternative.weight * share);
      }
      bm25 += best;
      covered += conceptWeight[conceptPosition]! * bestCoverage;
      titled += conceptWeight[conceptPosition]! * titleBest;
    });
    const coverage = totalWeight > 0 ? covered / totalWeight : 0;
    const titleCoverage = totalWeight > 0 ? titled / totalWeight : 0;
    const similarity = vector ? cosine(vector, index.embeddings.vectors[position]!) : 0;
    const hit = { id: document.id, score: 0, coverage, titleCoverage, cosine: similarity, bm25 };
    const previous = hits.get(document.id);
    if (!previous || rank(hit) > rank(previous)) hits.set(document.id, hit);
  });
  const list = [...hits.values()];
  const topBm25 = Math.max(1e-9, ...list.map((hit) => hit.bm25));
  for (const hit of list) {
    hit.score = features.embeddings
      ? 0.45 * hit.coverage +
        0.3 * hit.cosine +
        0.15 * (hit.bm25 / topBm25) +
        0.1 * hit.titleCoverage
      : 0.7 * hit.coverage + 0.3 * (hit.bm25 / topBm25);
  }
  return list.sort((a, b) => b.score - a.score).slice(0, options.limit ?? 5);
}

function rank(hit: FaqHit): number {
  return hit.bm25 + hit.coverage * 10 + hit.cosine * 10;
}
