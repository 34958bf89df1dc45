/**
 * @botwire/core/testing — fakes for testing bots, skills and drivers without a messenger or a
 * model provider: an in-memory adapter, a scripted chat model, and the plumbing the model
 * drivers' protocol peers share (script, request recording, listen and close). The peers
 * themselves live with their drivers (`@botwire/model-openai/testing`,
 * `@botwire/model-ollama/testing`). Also the core helpers a skill's or adapter's tests need and
 * `@botwire/core` keeps internal: a scoped key-value store, the rules planner (to check what a
 * manifest's commands and patterns plan), and closing an egress policy's connections. It does not import a test runner, so benchmarks can use it too. The shared
 * contract suites are in `@botwire/core/contract-suites`.
 */

export { closeEgressDispatcher } from '../egress/egress-fetch';
export { compilePatterns, planForCommand, planForPattern } from '../planner/rules-planner';
export { type ManualClock, manualClock } from '../scheduler/testing/manual-clock';
export { scopeKeyValueStore } from '../storage/scope-key-value-store';
export { blockedByDefault } from './egress-cases';
export { freePort } from './free-port';
export {
  authorized,
  beforeAnswer,
  estimateTokens,
  hashedEmbedding,
  listenPeer,
  type ModelPeer,
  type ModelPeerOptions,
  PeerScript,
  type RecordedChatImage,
  type RecordedChatMessage,
  type RecordedChatRequest,
  type RecordedRequest,
  recordRequest,
  type ScriptedResponse,
  type ScriptedToolCall,
  scriptedHeaders,
  sendError,
  sendJson,
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
  type TestFile,
  type TestSender,
  testAdapter,
} from './test-adapter';
export { waitUntil } from './wait-until';
