import { describe, expect, it } from 'vitest';
import { buildBundledFaqIndex } from '../testing/evaluate-faq';
import { answerQuestion } from './answer';
import {
  buildFaqIndex,
  faqContentHash,
  faqIndexFromJson,
  faqIndexToJson,
  isFaqIndexCurrent,
} from './faq-index';
import { parseKnowledgeBase } from './knowledge-base';
import { parseSynonyms } from './synonyms';

const questions = [
  'карту сперли',
  'how to blok my card',
  'как сделать chargeback',
  'какая погода завтра',
  'кредитка без процентов сколько дней',
];

describe('FaqIndex', () => {
  it('gives the same answers after a JSON round trip', async () => {
    const index = await buildBundledFaqIndex();
    const restored = faqIndexFromJson(faqIndexToJson(index));
    expect(restored).toEqual(index);
    for (const question of questions) {
      expect(await answerQuestion(restored, question)).toEqual(
        await answerQuestion(index, question),
      );
    }
  });

  it('changes its hash when the knowledge base or the synonyms change', async () => {
    const entries = parseKnowledgeBase('## A {#a}\n\nOne.\n', { file: 'knowledge.en.md' });
    const synonyms = parseSynonyms('one = uno\n');
    const index = await buildFaqIndex(entries, synonyms);
    expect(index.hash).toBe(faqContentHash(entries, synonyms));
    expect(isFaqIndexCurrent(index, entries, synonyms)).toBe(true);
    const edited = [{ ...entries[0]!, text: 'Two.' }];
    expect(isFaqIndexCurrent(index, edited, synonyms)).toBe(false);
    expect(isFaqIndexCurrent(index, entries, parseSynonyms('one = eins\n'))).toBe(false);
  });

  it('rejects JSON that is not an index', () => {
    expect(() => faqIndexFromJson('{')).toThrow(/not valid JSON/);
    expect(() => faqIndexFromJson('{"version":99}')).toThrow(/rebuild/);
  });
});
