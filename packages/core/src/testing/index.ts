/**
 * @botwire/core/testing — contract suites for adapter and storage driver authors, and an
 * in-memory test adapter for testing bots (Vitest).
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
export { type OllamaPeer, startOllamaPeer } from './peers/ollama-peer';
export { type OpenAiPeer, startOpenAiPeer } from './peers/openai-peer';
export {
  hashedEmbedding,
  type ModelPeer,
  type ModelPeerOptions,
  type RecordedChatMessage,
  type RecordedChatRequest,
  type RecordedRequest,
  type ScriptedResponse,
  type ScriptedToolCall,
} from './peers/peer-script';
export { plannerTestSkills, type ToolLog } from './planner-test-skills';
export {
  type ScriptedAnswer,
  type ScriptedChatModel,
  scriptedChatModel,
} from './scripted-chat-model';
export { runStorageContract, type StorageContractOptions } from './storage-contract';
export {
  type DeliveredMessage,
  type TestAdapter,
  type TestSender,
  testAdapter,
} from './test-adapter';
