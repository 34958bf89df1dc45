/**
 * @botwire/core/contract-suites — the shared Vitest suites every driver and adapter passes:
 * messenger adapters, storage drivers, chat model drivers, embedding models, vector indexes, job queues,
 * code sandboxes, image generators, transcribers, speech synthesizers. Import it from test files only
 * (it imports `vitest`); fakes are in `@botwire/core/testing`, protocol peers with their drivers.
 */
export {
  type AdapterContractOptions,
  type AdapterHarness,
  type HarnessUser,
  runAdapterContract,
} from './adapter-contract';
export {
  type ChatModelContractOptions,
  type ChatModelTarget,
  runChatModelContract,
} from './chat-model-contract';
export { type ChatSequencerTarget, runChatSequencerContract } from './chat-sequencer-contract';
export {
  type CodeSandboxContractOptions,
  type CodeSandboxTarget,
  runCodeSandboxContract,
} from './code-sandbox-contract';
export {
  type EmbeddingModelTarget,
  runEmbeddingModelContract,
} from './embedding-model-contract';
export {
  type ImageGeneratorContractOptions,
  type ImageGeneratorTarget,
  runImageGeneratorContract,
} from './image-generator-contract';
export { type JobQueueTarget, runJobQueueContract } from './job-queue-contract';
export {
  runSpeechSynthesizerContract,
  type SpeechSynthesizerTarget,
} from './speech-synthesizer-contract';
export { runStorageContract, type StorageContractOptions } from './storage-contract';
export {
  runTranscriberContract,
  type TranscriberContractOptions,
  type TranscriberTarget,
} from './transcriber-contract';
export { runVectorIndexContract, type VectorIndexTarget } from './vector-index-contract';
