import { describe, expect, it } from 'vitest';
import { cosineSimilarity, lexicalEmbeddingModel } from './lexical-embeddings';
import { lexicalStem, lexicalWords } from './lexical-stemmer';

const model = lexicalEmbeddingModel();

async function similarities(anchor: string, related: string, unrelated: string) {
  const { vectors } = await model.embed([anchor, related, unrelated]);
  const [a, b, c] = vectors as [number[], number[], number[]];
  return { related: cosineSimilarity(a, b), unrelated: cosineSimilarity(a, c) };
}

describe('lexicalEmbeddingModel', () => {
  it.each([
    [
      'Remind me to call mom tomorrow',
      'Set a reminder to call my mother',
      'What is the weather in Paris today?',
    ],
    [
      'How do I open a bank account?',
      'Opening a new account at the bank',
      'Best pizza recipes for the weekend',
    ],
    [
      'напомни позвонить маме завтра',
      'поставь напоминание о звонке маме',
      'какая погода в Париже сегодня?',
    ],
    ['Как открыть счёт в банке?', 'Открытие банковского счета', 'Рецепты пиццы на выходные'],
  ])(
    'scores "%s" closer to a related sentence than to an unrelated one',
    async (anchor, related, unrelated) => {
      const scores = await similarities(anchor, related, unrelated);
      expect(scores.related).toBeGreaterThan(0.25);
      expect(scores.related).toBeGreaterThan(scores.unrelated + 0.2);
    },
  );

  it('puts word forms together in both languages', async () => {
    for (const [a, b] of [
      ['напоминание', 'напоминания'],
      ['reminder', 'reminders'],
      ['встреча', 'встречи'],
      ['meeting', 'meetings'],
    ] as const) {
      const { vectors } = await model.embed([a, b]);
      expect(cosineSimilarity(vectors[0]!, vectors[1]!), `${a} ~ ${b}`).toBeGreaterThan(0.8);
    }
    expect(lexicalStem('напоминаний')).toBe(lexicalStem('напоминание'));
    expect(lexicalStem('reminding')).toBe(lexicalStem('reminder'));
  });

  it('is deterministic and has the configured dimension', async () => {
    const text = 'The same text, Тот же текст 42';
    const first = await model.embed([text]);
    const second = await lexicalEmbeddingModel().embed([text]);
    expect(first.vectors[0]).toEqual(second.vectors[0]);
    expect(first.vectors[0]).toHaveLength(512);
    expect(model.dimensions).toBe(512);
    const small = lexicalEmbeddingModel({ dimensions: 64 });
    expect(small.dimensions).toBe(64);
    expect((await small.embed([text])).vectors[0]).toHaveLength(64);
    expect(model.provider).toBe('lexical');
  });

  it('returns unit vectors, one per text, in order', async () => {
    const { vectors } = await model.embed(['one apple', 'два яблока', 'one apple']);
    expect(vectors).toHaveLength(3);
    for (const vector of vectors) {
      expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
    }
    expect(cosineSimilarity(vectors[0]!, vectors[2]!)).toBeCloseTo(1, 10);
    expect((await model.embed([])).vectors).toEqual([]);
  });

  it('gives a zero vector, without NaN, for text without words', async () => {
    const { vectors } = await model.embed(['', '   ', '?!…']);
    for (const vector of vectors) {
      expect(vector).toHaveLength(512);
      expect(vector.every((value) => value === 0)).toBe(true);
    }
    const {
      vectors: [word],
    } = await model.embed(['word']);
    expect(cosineSimilarity(vectors[0]!, word!)).toBe(0);
  });

  it('keeps stop words when a text has nothing else', () => {
    expect(lexicalWords('The cat and THE dog')).toEqual(['cat', 'dog']);
    expect(lexicalWords('to be or not to be')).toEqual(['to', 'be', 'or', 'not', 'to', 'be']);
    expect(lexicalWords('Ёлка, ёж')).toEqual(['елка', 'еж']);
  });

  it('rejects bad dimensions, bad input and an aborted signal', async () => {
    for (const dimensions of [0, -1, 1.5, Number.NaN]) {
      expect(() => lexicalEmbeddingModel({ dimensions })).toThrow(
        expect.objectContaining({ code: 'BOTWIRE_INVALID_ARGUMENT' }),
      );
    }
    await expect(model.embed([1 as unknown as string])).rejects.toMatchObject({
      code: 'BOTWIRE_INVALID_ARGUMENT',
    });
    await expect(model.embed(['x'], { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, -1 for the opposite, 0 for orthogonal or zero vectors', () => {
    expect(cosineSimilarity([1, 2], [2, 4])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [-3, 0])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([0, 0], [0, 0])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(
      expect.objectContaining({ code: 'BOTWIRE_INVALID_ARGUMENT' }),
    );
  });
});
