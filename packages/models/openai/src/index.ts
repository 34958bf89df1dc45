/**
 * @botwire/model-openai — chat and embedding models for OpenAI and every OpenAI-compatible
 * endpoint. The default export is the factory `@botwire/core` loads for `openai:<model>`.
 */
import { createModel } from './create-model';

export { createModel } from './create-model';
export {
  isStrictCompatible,
  type OpenAiChatModelOptions,
  openaiChatModel,
} from './openai-chat-model';
export type { OpenAiConnectionOptions } from './openai-client';
export { type OpenAiEmbeddingModelOptions, openaiEmbeddingModel } from './openai-embedding-model';

export default createModel;
