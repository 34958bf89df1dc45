import {
  type ChatModel,
  type EmbeddingModel,
  type ModelDriverOptions,
  visionFromEnv,
} from '@botwire/core';
import { ollamaChatModel } from './ollama-chat-model';
import { ollamaEmbeddingModel } from './ollama-embedding-model';

/**
 * The factory `@botwire/core` calls for `BOTWIRE_MODEL=ollama:<model>`: reads `OLLAMA_HOST`
 * (default: the local server) and `OLLAMA_API_KEY` from `env` (never from anywhere else).
 *
 * @example
 * const model = createModel({ kind: 'chat', model: 'llama3.2', env: { OLLAMA_HOST: 'gpu-box:11434' } });
 */
export function createModel(options: ModelDriverOptions): ChatModel | EmbeddingModel {
  const read = (name: string) => {
    const value = options.env[name]?.trim();
    return value ? value : undefined;
  };
  const connection = {
    model: options.model,
    host: read('OLLAMA_HOST'),
    apiKey: read('OLLAMA_API_KEY'),
  };
  return options.kind === 'embeddings'
    ? ollamaEmbeddingModel(connection)
    : ollamaChatModel({ ...connection, vision: visionFromEnv(options.env) });
}
