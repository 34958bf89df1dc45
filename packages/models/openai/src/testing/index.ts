/**
 * @botwire/model-openai/testing — a local server that speaks the OpenAI Chat Completions,
 * Embeddings, Images, Audio Transcriptions and Speech protocols, for testing these drivers (and bots
 * that use them) with the real `openai` client on loopback. Its script and recorded-request
 * types come from `@botwire/core/testing`.
 */
export type { CheckedImageRequest } from './openai-images-route';
export { type OpenAiPeer, startOpenAiPeer } from './openai-peer';
export { type CheckedSpeechRequest, speechMaxInput } from './openai-speech-route';
export {
  type CheckedTranscriptionRequest,
  type PeerAudioFile,
  transcriptKey,
} from './openai-transcriptions-route';
