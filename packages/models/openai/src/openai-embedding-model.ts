import { type EmbeddingModel, modelBadResponse } from '@botwire/core';
import type OpenAI from 'openai';
import {
  checkConnectionOptions,
  clientFactory,
  endpointOf,
  type OpenAiConnectionOptions,
  toModelError,
} from './openai-client';

/** Options for {@link openaiEmbeddingModel}. */
export interface OpenAiEmbeddingModelOptions extends OpenAiConnectionOptions {
  /** The model, such as `text-embedding-3-small`. */
  model: string;
  /** Shorter vectors, for models that support it (`text-embedding-3-*`). */
  dimensions?: number;
}

/**
 * The embeddings driver for OpenAI and OpenAI-compatible endpoints (`/v1/embeddings`). One
 * request embeds all the texts; vectors come back in the texts' order.
 *
 * @example
 * const embeddings = openaiEmbeddingModel({ model: 'text-embedding-3-small', apiKey });
 * const { vectors } = await embeddings.embed(['hello', 'world']);
 */
export function openaiEmbeddingModel(options: OpenAiEmbeddingModelOptions): EmbeddingModel {
  checkConnectionOptions(options, options.model);
  const client = clientFactory(options);
  const context = { provider: 'openai', model: options.model, endpoint: endpointOf(options) };
  let dimensions = options.dimensions;

  return {
    provider: 'openai',
    model: options.model,
    get dimensions() {
      return dimensions;
    },
    async embed(texts, call = {}) {
      if (call.signal?.aborted) throw call.signal.reason;
      if (texts.length === 0) return { vectors: [] };
      let result: OpenAI.CreateEmbeddingResponse;
      try {
        result = await (await client()).embeddings.create(
          {
            model: options.model,
            input: texts,
            ...(options.dimensions ? { dimensions: options.dimensions } : {}),
          },
          call.signal ? { signal: call.signal } : {},
        );
      } catch (error) {
        throw await toModelError(error, context, call.signal, options.apiKey);
      }
      const data = [...(result?.data ?? [])].sort((a, b) => a.index - b.index);
      if (data.length !== texts.length || data.some((item) => !Array.isArray(item.embedding))) {
        throw modelBadResponse(context, `asked for ${texts.length} vectors, got ${data.length}.`);
      }
      const vectors = data.map((item) => item.embedding);
      dimensions = vectors[0]?.length ?? dimensions;
      return { vectors, inputTokens: result.usage?.prompt_tokens ?? 0 };
    },
  };
}
