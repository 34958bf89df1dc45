/**
 * The banking FAQ engine without a model: the test set of `@botwire/skill-banking-faq`
 * (`src/testing/faq-questions.ts`) against the shipped Severny Bank knowledge base. Prints, per
 * language, top-1 accuracy (a hand-off counts as a miss), hand-off recall, the false hand-off rate
 * (in-scope questions handed off), the share of out-of-scope questions answered anyway, the index
 * build time and the per-question latency, beside the goals (top-1 ≥ 85%, hand-off recall ≥ 80%,
 * false hand-offs ≤ 5%); and the top-1 of a plain BM25 baseline (same stems, no synonyms, no typo
 * correction, no embeddings) for comparison. Prints figures, asserts nothing.
 *
 *   node scripts/ensure-built.mjs && tsx bench/faq.bench.ts
 *   BENCH_MISSES=1 tsx bench/faq.bench.ts   (also lists every miss)
 */
import {
  faqIndexFromJson,
  faqIndexToJson,
} from '../packages/skills/banking-faq/src/engine/faq-index';
import { searchFaqIndex } from '../packages/skills/banking-faq/src/engine/faq-search';
import {
  buildBundledFaqIndex,
  evaluateFaq,
} from '../packages/skills/banking-faq/src/testing/evaluate-faq';
import { faqQuestions } from '../packages/skills/banking-faq/src/testing/faq-questions';

const goals = { topOne: 0.85, handoffRecall: 0.8, falseHandoffs: 0.05 };
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const percentile = (sorted: number[], quantile: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1))]!;

// Warm up the JIT on one build, then time a second.
await buildBundledFaqIndex();
let started = performance.now();
const index = await buildBundledFaqIndex();
const buildMs = performance.now() - started;
const json = faqIndexToJson(index);
started = performance.now();
faqIndexFromJson(json);
const loadMs = performance.now() - started;

await evaluateFaq(index, faqQuestions.slice(0, 10));
const result = await evaluateFaq(index, faqQuestions);
const latencies = [...result.latenciesMs].sort((a, b) => a - b);

const baseline: Record<string, { total: number; correct: number }> = {};
for (const item of faqQuestions) {
  if (!item.expectedId) continue;
  const hits = await searchFaqIndex(index, item.question, {
    features: { synonyms: false, typos: false, embeddings: false },
    limit: 1000,
  });
  const best = [...hits].sort((a, b) => b.bm25 - a.bm25)[0];
  baseline[item.language] ??= { total: 0, correct: 0 };
  const bucket = baseline[item.language]!;
  bucket.total++;
  if (best && best.bm25 > 0 && best.id === item.expectedId) bucket.correct++;
}

const inScope = faqQuestions.filter((item) => item.expectedId).length;
console.log(
  `banking FAQ, no model: ${new Set(index.entries.map((entry) => entry.id)).size} entries × ` +
    `${new Set(index.entries.map((entry) => entry.language)).size} languages, ${index.synonyms.length} synonym groups; ` +
    `${faqQuestions.length} questions (${inScope} in scope, ${faqQuestions.length - inScope} to hand off)`,
);
for (const [language, bucket] of Object.entries(result.topOne)) {
  const plain = baseline[language]!;
  console.log(
    `  top-1 ${language}: ${percent(bucket.accuracy)} (${bucket.correct}/${bucket.total})  goal ≥ ${percent(goals.topOne)}` +
      `   plain BM25: ${percent(plain.correct / plain.total)} (${plain.correct}/${plain.total})`,
  );
}
console.log(
  `  hand-off recall: ${percent(result.handoffRecall)}  goal ≥ ${percent(goals.handoffRecall)}`,
);
console.log(
  `  false hand-offs: ${percent(result.falseHandoffRate)}  goal ≤ ${percent(goals.falseHandoffs)}`,
);
console.log(`  out-of-scope answered: ${percent(result.outOfScopeAnsweredRate)}`);
console.log(`  answers in the wrong language: ${result.wrongLanguage}`);
console.log(
  `  build: ${buildMs.toFixed(1)} ms (index JSON ${(json.length / 1024).toFixed(0)} KiB, parse ${loadMs.toFixed(1)} ms)`,
);
console.log(
  `  latency per question: p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms`,
);
if (process.env.BENCH_MISSES === '1') {
  for (const miss of result.misses) {
    console.log(
      `  miss: "${miss.question}" expected ${miss.expected}, got ${miss.got} (${miss.score.toFixed(2)})`,
    );
  }
}
