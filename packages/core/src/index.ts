/**
 * @botwire/core — what bot builders, skill authors and adapter authors use: creating and
 * configuring a bot, the chain and middleware, conversations, the message model, the ports
 * (adapter, chat model, embeddings, storage, HTTP routes, ...) with their built-in drivers,
 * skills, egress for skills, errors and logging. Everything else is internal; fakes for tests are
 * in `@botwire/core/testing`, the shared contract suites in `@botwire/core/contract-suites`.
 * `etc/core.api.md` lists this surface (`pnpm api:update` rewrites it).
 */

export { accessCommandNames } from './access/access-commands';
export { type AccessControlOptions, accessControl } from './access/access-control';
export type { ClaimCodes, ClaimOutcome } from './access/claim-code';
export { hasRole, isRole, roles } from './access/roles';
export { splitText } from './adapters/split-text';
export {
  type AdapterEntry,
  type BotConfig,
  defineConfig,
  type ModelEntry,
  type SkillEntry,
} from './config/define-config';
export {
  findConfigFile,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
} from './config/load-config';
export type {
  AnswerResult,
  ConversationAnswer,
  ConversationData,
  ConversationDefinition,
  ConversationState,
  ConversationStep,
  StepQuestion,
} from './conversations/conversation-types';
export { type Conversation, defineConversation } from './conversations/define-conversation';
export {
  type ChargeResult,
  type CreditEntry,
  CreditLedger,
  creditsNamespace,
} from './credits/credit-ledger';
export type { EgressConfig } from './egress/egress-config';
export {
  type EgressRequestInit,
  type EgressResponse,
  egressFetch,
} from './egress/egress-fetch';
export {
  type EgressConnector,
  type EgressDecision,
  EgressPolicy,
  type EgressPolicyOptions,
  type EgressResolver,
  egressBlockedError,
  type ResolvedAddress,
} from './egress/egress-policy';
export {
  BotwireError,
  type BotwireErrorOptions,
  isBotwireError,
  type Problem,
} from './errors/botwire-error';
export type {
  BotwireErrorCode,
  errorCatalog,
  ProblemCode,
  problemCatalog,
} from './errors/error-catalog';
export {
  BotHttpServer,
  type BotHttpServerOptions,
  bearerToken,
  tokensEqual,
} from './http/http-server';
export { readBodyText } from './http/read-body';
export type { coreStrings } from './i18n/core-strings';
export {
  type Locale,
  type LocalizedText,
  localizedText,
  normalizeLocale,
  type StringTable,
} from './i18n/translate';
export { encodePng, type RgbBitmap, readPngSize } from './images/png-encoder';
export {
  type PreviewImageGeneratorOptions,
  previewImageGenerator,
} from './images/preview-image-generator';
export { storedZip, type ZipEntry } from './images/stored-zip';
export {
  createLogger,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  silentLogger,
} from './logging/logger';
export { Redactor, redactingChatModel, redactOutgoing } from './logging/redact';
export type {
  Attachment,
  ChatRef,
  CommandCall,
  IncomingMessage,
  PaymentEvent,
  PlatformName,
  Sender,
} from './messages/incoming-message';
export { parseCommand } from './messages/incoming-message';
export type {
  Artifact,
  Button,
  Invoice,
  OutgoingMessage,
  SentMessage,
  VoiceMessage,
} from './messages/outgoing-message';
export {
  Composer,
  type ComposerContext,
  type MessageFilter,
  type Middleware,
  type NextFunction,
} from './middleware/composer';
export { type LexicalEmbeddingOptions, lexicalEmbeddingModel } from './models/lexical-embeddings';
export {
  type ModelErrorContext,
  type ModelHttpFailure,
  modelBadResponse,
  modelErrorFromStatus,
  modelTimeout,
  modelUnavailable,
  redactSecret,
} from './models/model-errors';
export {
  type CircuitState,
  type ModelCallReport,
  type ResilienceOptions,
  type ResilientChatModel,
  resilientChatModel,
} from './models/resilient-chat-model';
export {
  type EmbeddingResilienceOptions,
  type ResilientEmbeddingModel,
  resilientEmbeddingModel,
} from './models/resilient-embedding-model';
export {
  type ModelDriverFactory,
  type ModelDriverOptions,
  type ModelProvider,
  type ModelSpec,
  type ModelSpecEntry,
  modelPackageName,
  type modelProviders,
  parseModelSpec,
  visionFromEnv,
} from './models/select-model';
export {
  type ContextProvider,
  type PlannerOptions,
  plannerMiddleware,
} from './planner/planner-steps';
export type { CompiledPattern } from './planner/rules-planner';
export { imageTypeOf, pictureAttachments } from './planner/vision-input';
export type {
  Adapter,
  AdapterCapabilities,
  AdapterHost,
  CommandInfo,
  SendOptions,
} from './ports/adapter';
export type {
  ChatImage,
  ChatMessage,
  ChatModel,
  ChatRequest,
  ChatResponse,
  ChatRole,
  ModelTool,
  ModelToolCall,
  TokenUsage,
} from './ports/chat-model';
export type { ChatSequencer } from './ports/chat-sequencer';
export type {
  CodeSandbox,
  SandboxError,
  SandboxFile,
  SandboxLimits,
  SandboxResult,
  SandboxRunOptions,
} from './ports/code-sandbox';
export type { EmbeddingModel } from './ports/embedding-model';
export type {
  HttpRoutes,
  ReadinessCheck,
  ReadinessResult,
  RouteDocument,
  RouteHandler,
} from './ports/http-routes';
export type {
  GeneratedImage,
  ImageGenerator,
  ImageRequest,
  ImageSize,
  TrainingKind,
  TrainingRequest,
  TrainingStatus,
  TrainingUpdate,
} from './ports/image-generator';
export type {
  JobFilter,
  JobQueue,
  JobRecord,
  JobRun,
  JobSpec,
  JobState,
  JobStats,
} from './ports/job-queue';
export type {
  SpeechRequest,
  SpeechSynthesizer,
  SynthesizedSpeech,
} from './ports/speech-synthesizer';
export type {
  ChatRecord,
  ChatStore,
  Identity,
  KeyValueStore,
  MessageRecord,
  MessageStore,
  NewMessage,
  Role,
  ScopedKeyValueStore,
  SetOptions,
  StorageDriver,
  UserPatch,
  UserProfile,
  UserRecord,
  UserStore,
} from './ports/storage';
export type { Transcriber, Transcription, TranscriptionRequest } from './ports/transcriber';
export type {
  ScopedVectorIndex,
  VectorFilter,
  VectorFilterValue,
  VectorIndex,
  VectorMatch,
  VectorQueryOptions,
  VectorRecord,
} from './ports/vector-index';
export { Bot, type BotOptions, createBot, type FinishedToolCall } from './runtime/bot';
export { BotContext, type ReplyTransform } from './runtime/bot-context';
export type { BotExtension } from './runtime/bot-extension';
export type { BotServices, BotSettings } from './runtime/bot-services';
export { builtinCommandNames } from './runtime/builtin-commands';
export { type ChainStep, type DefaultStepName, insertStep } from './runtime/chain-steps';
export {
  type ChatSequencerOptions,
  LocalTurns,
  storageChatSequencer,
  waitForTurn,
} from './runtime/storage-chat-sequencer';
export { pythonRunnerSource } from './sandbox/python-runner';
export {
  checkSandboxRun,
  defaultSandboxLimits,
  maxCodeLength,
  maxInputFileBytes,
} from './sandbox/sandbox-input';
export {
  type EmbeddedJobQueueOptions,
  embeddedJobQueue,
} from './scheduler/embedded-job-queue';
export type { Clock, ClockTimer } from './scheduler/job-clock';
export {
  checkRecurrence,
  nextOccurrences,
  type Recurrence,
} from './scheduler/recurrence';
export {
  checkTimezone,
  daysInMonth,
  formatInstant,
  parseInstant,
  toInstant,
  type WallClock,
  type WallTime,
  wallClock,
  weekdayOf,
  zoneOffsetMinutes,
} from './scheduler/zoned-time';
export {
  type DecryptedSecret,
  KeyRing,
  type KeyRingOptions,
} from './secrets/key-ring';
export { type LoadKeyRingOptions, loadKeyRing } from './secrets/load-key-ring';
export {
  allSkills,
  type RotateResult,
  type SecretInfo,
  type SecretScope,
  SecretStore,
  type SecretStoreOptions,
} from './secrets/secret-store';
export {
  defineSkill,
  type InlineSkill,
  type PaymentAnswer,
  type RecallRequest,
  type SkillDefinition,
  type SkillStrings,
  type ToolContext,
  type ToolHandler,
  type ToolHandlers,
  type ToolInputs,
  type ToolMessage,
  type ToolModel,
  type ToolProvenance,
  type ToolReply,
  type ToolScheduler,
  type ToolSecrets,
  type UserPreferences,
} from './skills/define-skill';
export { type DynamicTool, maxDynamicToolsPerSkill } from './skills/dynamic-tools';
export { parseWithSchema, type SchemaIssue } from './skills/json-schema';
export type { JsonSchemaType } from './skills/json-schema-type';
export { skillNamespace } from './skills/run-tool';
export type {
  CommandManifest,
  FileHandlerManifest,
  JsonSchema,
  PatternManifest,
  Permission,
  SkillManifest,
  ToolManifest,
} from './skills/skill-manifest';
export {
  type CallToolOptions,
  type LoadedSkill,
  type LoadSkillsOptions,
  loadSkills,
  type SkillCommand,
  SkillRegistry,
  type SkillSource,
  type SkillTool,
} from './skills/skill-registry';
export { parseManifestText, validateManifest } from './skills/validate-manifest';
export { type SkillPathValidation, validateSkillPath } from './skills/validate-skill-path';
export {
  type EspeakSpeechSynthesizerOptions,
  espeakSpeechSynthesizer,
} from './speech/espeak-speech-synthesizer';
export { oggOpusDurationSeconds } from './speech/ogg-duration';
export { speechText } from './speech/speech-text';
/** The argument checks every storage driver makes, for drivers in other packages (MongoDB, ...). */
export * as storageChecks from './storage/check-storage-arguments';
export { type MemoryStorageOptions, memoryStorage } from './storage/drivers/memory';
export { type SqliteStorageOptions, sqliteStorage } from './storage/drivers/sqlite';
export { type IdPrefix, newId } from './storage/ids';
export { budgetMiddleware, type UsageState, usageState } from './usage/budget-middleware';
export type { DailyLimits, LimitSubject, RoleLimits, UsageLimits } from './usage/usage-limits';
export type { UsageMetrics } from './usage/usage-metrics';
export {
  type ModelCallRecord,
  type ToolCallRecord,
  type UsageCounts,
  UsageTracker,
  type UsageTrackerOptions,
} from './usage/usage-tracker';
export type { HierarchicalNswConstructor } from './vectors/approximate-graph';
export {
  type EmbeddedVectorIndexOptions,
  embeddedVectorIndex,
} from './vectors/embedded-vector-index';
export { scopeVectorIndex } from './vectors/scope-vector-index';
