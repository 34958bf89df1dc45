import {
  type ChatModel,
  type EmbeddingModel,
  type ModelDriverOptions,
  visionFromEnv,
} from '@botwire/core';
import { openaiChatModel } from './openai-chat-model';
import { openaiEmbeddingModel } from './openai-embedding-model';

/**
 * The factory `@botwire/core` calls for `BOTWIRE_MODEL=openai:<model>`: reads `OPENAI_API_KEY`,
 * `OPENAI_BASE_URL`, `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID` from `env` (never from anywhere else).
 *
 * @example
 * const model = createModel({ kind: 'chat', model: 'gpt-4o-mini', env: process.env });
 */
export function createModel(options: ModelDriverOptions): ChatModel | EmbeddingModel {
  const read = (name: string) => {
    const value = options.env[name]?.trim();
    return value ? value : undefined;
  };
  const connection = {
    model: options.model,
    apiKey: read('OPENAI_API_KEY'),
    baseURL: read('OPENAI_BASE_URL'),
    organization: read('OPENAI_ORG_ID'),
    project: read('OPENAI_PROJECT_ID'),
  };
  return options.kind === 'embeddings'
    ? openaiEmbeddingModel(connection)
    : openaiChatModel({ ...connection, vision: visionFromEnv(options.env) });
}
