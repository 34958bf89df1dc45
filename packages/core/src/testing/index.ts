/**
 * @botwire/core/testing — fakes and protocol peers for testing bots, skills and drivers without
 * a messenger or a model provider: an in-memory adapter, a scripted chat model, and local HTTP
 * servers that speak the OpenAI and Ollama protocols. It does not import a test runner, so
 * benchmarks can use it too. The shared contract suites are in `@botwire/core/contracts`.
 */

export { blockedByDefault } from './egress-cases';
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
  type RequireToolOptions,
  requireTool,
  type ToolAvailability,
} from './require-tool';
export {
  type ScriptedAnswer,
  type ScriptedChatModel,
  scriptedChatModel,
} from './scripted-chat-model';
export {
  type DeliveredMessage,
  type TestAdapter,
  type TestSender,
  testAdapter,
} from './test-adapter';
