/**
 * @botwire/model-ollama — chat and embedding models for Ollama. The default export is the
 * factory `@botwire/core` loads for `ollama:<model>`.
 */
import { createModel } from './create-model';

export { createModel } from './create-model';
export { type OllamaChatModelOptions, ollamaChatModel } from './ollama-chat-model';
export type { OllamaConnectionOptions } from './ollama-connection';
export { type OllamaEmbeddingModelOptions, ollamaEmbeddingModel } from './ollama-embedding-model';

export default createModel;
