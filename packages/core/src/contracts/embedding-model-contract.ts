import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmbeddingModel } from '../ports/embedding-model';

/** What a test run of the embeddings contract needs: the model, and how to release it. */
export interface EmbeddingModelTarget {
  model: EmbeddingModel;
  close?(): Promise<void>;
}

const dot = (a: number[], b: number[]) =>
  a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));
const cosine = (a: number[], b: number[]) => dot(a, b) / (norm(a) * norm(b) || 1);

/**
 * The contract every embeddings driver passes (lexical, OpenAI, Ollama, ...): one vector per
 * text in order, all of one length, finite numbers, the same text gives the same vector, no
 * call for no texts, and texts that share words lie closer than texts that share none.
 *
 * @example
 * runEmbeddingModelContract('lexical', async () => ({ model: lexicalEmbeddingModel() }));
 */
export function runEmbeddingModelContract(
  name: string,
  create: () => Promise<EmbeddingModelTarget>,
): void {
  describe(`embedding model contract: ${name}`, () => {
    let target: EmbeddingModelTarget;
    beforeEach(async () => {
      target = await create();
    });
    afterEach(async () => {
      await target.close?.();
    });

    it('returns one finite vector per text, in order, all of one length', async () => {
      const texts = ['remind me to call mum', 'напомни позвонить маме', 'the weather in Paris'];
      const { vectors } = await target.model.embed(texts);
      expect(vectors).toHaveLength(texts.length);
      const length = vectors[0]!.length;
      expect(length).toBeGreaterThan(0);
      for (const vector of vectors) {
        expect(vector).toHaveLength(length);
        expect(vector.every((value) => Number.isFinite(value))).toBe(true);
      }
      if (target.model.dimensions !== undefined) expect(target.model.dimensions).toBe(length);
    });

    it('gives the same vector for the same text', async () => {
      const first = await target.model.embed(['a cup of green tea']);
      const second = await target.model.embed(['something else', 'a cup of green tea']);
      const a = first.vectors[0]!;
      const b = second.vectors[1]!;
      expect(cosine(a, b)).toBeGreaterThan(0.9999);
    });

    it('puts texts that share words closer than texts that share none', async () => {
      const { vectors } = await target.model.embed([
        'buy fresh milk and bread',
        'buy milk and fresh bread today',
        'quantum field theory lecture',
      ]);
      expect(cosine(vectors[0]!, vectors[1]!)).toBeGreaterThan(cosine(vectors[0]!, vectors[2]!));
    });

    it('returns no vectors for no texts', async () => {
      expect((await target.model.embed([])).vectors).toEqual([]);
    });
  });
}
