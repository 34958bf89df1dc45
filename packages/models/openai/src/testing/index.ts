/**
 * @botwire/model-openai/testing — a local server that speaks the OpenAI Chat Completions and
 * Embeddings protocol, for testing this driver (and bots that use it) with the real `openai`
 * client on loopback. Its script and recorded-request types come from `@botwire/core/testing`.
 */
export { type OpenAiPeer, startOpenAiPeer } from './openai-peer';
