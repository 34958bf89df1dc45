import { type EmbeddingModel, modelBadResponse } from '@botwire/core';
import { hostOf, type OllamaConnectionOptions, ollamaCaller } from './ollama-connection';

/** Options for {@link ollamaEmbeddingModel}. */
export interface OllamaEmbeddingModelOptions extends OllamaConnectionOptions {
  /** The model, such as `nomic-embed-text` or `all-minilm`. */
  model: string;
  /** Shorter vectors, for models that support it. */
  dimensions?: number;
}

/**
 * The embeddings driver for Ollama (`/api/embed`): one request embeds all the texts, in order.
 *
 * @example
 * const embeddings = ollamaEmbeddingModel({ model: 'nomic-embed-text' });
 * const { vectors } = await embeddings.embed(['hello']);
 */
export function ollamaEmbeddingModel(options: OllamaEmbeddingModelOptions): EmbeddingModel {
  const context = { provider: 'ollama', model: options.model, endpoint: hostOf(options) };
  const call = ollamaCaller(options, context);
  let dimensions = options.dimensions;

  return {
    provider: 'ollama',
    model: options.model,
    get dimensions() {
      return dimensions;
    },
    async embed(texts, embedOptions = {}) {
      if (embedOptions.signal?.aborted) throw embedOptions.signal.reason;
      if (texts.length === 0) return { vectors: [] };
      const response = await call(embedOptions.signal, (client) =>
        client.embed({
          model: options.model,
          input: texts,
          ...(options.dimensions ? { dimensions: options.dimensions } : {}),
        }),
      );
      const vectors = response?.embeddings;
      if (!Array.isArray(vectors) || vectors.length !== texts.length) {
        throw modelBadResponse(
          context,
          `asked for ${texts.length} vectors, got ${Array.isArray(vectors) ? vectors.length : 'none'}.`,
        );
      }
      dimensions = vectors[0]?.length ?? dimensions;
      return { vectors, inputTokens: response.prompt_eval_count ?? 0 };
    },
  };
}
