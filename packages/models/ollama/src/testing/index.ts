/**
 * @botwire/model-ollama/testing — a local server that speaks the Ollama chat and embed
 * protocol, for testing this driver (and bots that use it) with the real `ollama` client on
 * loopback. Its script and recorded-request types come from `@botwire/core/testing`.
 */
export { type OllamaPeer, startOllamaPeer } from './ollama-peer';
