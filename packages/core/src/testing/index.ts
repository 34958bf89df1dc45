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
