import { fileURLToPath } from 'node:url';
import { type AnswerQuestionOptions, answerQuestion } from '../engine/answer';
import { buildFaqIndex, type FaqIndex } from '../engine/faq-index';
import { loadKnowledgeBase } from '../engine/knowledge-base';
import { loadSynonyms } from '../engine/synonyms';
import type { FaqQuestion } from './faq-questions';

/** The folder of the knowledge base the package ships (`knowledge/`). */
export const bundledKnowledgeDirectory = fileURLToPath(
  new URL('../../knowledge/', import.meta.url),
);

/** The shipped knowledge base (`knowledge.ru.md`, `knowledge.en.md`) and synonyms, indexed. */
export async function buildBundledFaqIndex(): Promise<FaqIndex> {
  const entries = await loadKnowledgeBase([
    `${bundledKnowledgeDirectory}knowledge.ru.md`,
    `${bundledKnowledgeDirectory}knowledge.en.md`,
  ]);
  return buildFaqIndex(entries, await loadSynonyms(`${bundledKnowledgeDirectory}synonyms.txt`));
}

/** The figures of one run of the test set. */
export interface FaqEvaluation {
  /** Per language: in-scope questions, and those whose first citation is the expected id. */
  topOne: Record<string, { total: number; correct: number; accuracy: number }>;
  /** Hand-off questions handed off, of all hand-off questions. */
  handoffRecall: number;
  /** In-scope questions wrongly handed off, of all in-scope questions. */
  falseHandoffRate: number;
  /** Out-of-scope (`no-answer`) questions answered anyway, of all of them. */
  outOfScopeAnsweredRate: number;
  /** Answers in a language other than the question's. */
  wrongLanguage: number;
  /** Every miss, for reading. */
  misses: { question: string; expected: string; got: string; score: number }[];
  /** Milliseconds per question, in order. */
  latenciesMs: number[];
}

/**
 * Runs the test set through {@link answerQuestion} and counts: top-1 accuracy per language (a
 * hand-off counts as wrong), hand-off recall, false hand-offs and out-of-scope questions answered.
 */
export async function evaluateFaq(
  index: FaqIndex,
  questions: readonly FaqQuestion[],
  options: AnswerQuestionOptions = {},
): Promise<FaqEvaluation> {
  const topOne: FaqEvaluation['topOne'] = {};
  let handoffs = 0;
  let handedOff = 0;
  let inScope = 0;
  let falseHandoffs = 0;
  let outOfScope = 0;
  let outOfScopeAnswered = 0;
  let wrongLanguage = 0;
  const misses: FaqEvaluation['misses'] = [];
  const latenciesMs: number[] = [];
  for (const item of questions) {
    const started = performance.now();
    const result = await answerQuestion(index, item.question, options);
    latenciesMs.push(performance.now() - started);
    if (result.language !== item.language) wrongLanguage++;
    const got = result.handoff ? `handoff:${result.reason}` : (result.citations[0]?.id ?? '');
    if (item.expectedId) {
      topOne[item.language] ??= { total: 0, correct: 0, accuracy: 0 };
      const bucket = topOne[item.language]!;
      bucket.total++;
      inScope++;
      if (result.handoff) falseHandoffs++;
      if (got === item.expectedId) bucket.correct++;
      else
        misses.push({
          question: item.question,
          expected: item.expectedId,
          got,
          score: result.score,
        });
    } else {
      handoffs++;
      if (result.handoff) handedOff++;
      else
        misses.push({
          question: item.question,
          expected: `handoff:${item.handoff}`,
          got,
          score: result.score,
        });
      if (item.handoff === 'no-answer') {
        outOfScope++;
        if (!result.handoff) outOfScopeAnswered++;
      }
    }
  }
  for (const bucket of Object.values(topOne)) bucket.accuracy = bucket.correct / bucket.total;
  return {
    topOne,
    handoffRecall: handoffs ? handedOff / handoffs : 1,
    falseHandoffRate: inScope ? falseHandoffs / inScope : 0,
    outOfScopeAnsweredRate: outOfScope ? outOfScopeAnswered / outOfScope : 0,
    wrongLanguage,
    misses,
    latenciesMs,
  };
}
