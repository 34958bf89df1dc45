/**
 * @botwire/model-openai — chat and embedding models, image generation, transcription and speech for
 * OpenAI and every OpenAI-compatible endpoint. The default export is the factory `@botwire/core`
 * loads for `openai:<model>`.
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
export {
  nearestImageSize,
  type OpenAiImageGeneratorOptions,
  openaiImageGenerator,
} from './openai-image-generator';
export type { OpenAiMediaOptions } from './openai-media';
export {
  type OpenAiSpeechSynthesizerOptions,
  openaiSpeechSynthesizer,
} from './openai-speech-synthesizer';
export { type OpenAiTranscriberOptions, openaiTranscriber } from './openai-transcriber';

export default createModel;
