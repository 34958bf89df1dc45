/**
 * @botwire/core — the Botwire runtime: message model, middleware, adapters contract,
 * skills, storage, access control, config, i18n and logging.
 */

export { accessCommandNames, accessCommands } from './access/access-commands';
export { type AccessControlOptions, accessControl, isOnAllowList } from './access/access-control';
export { type AccessRequest, AccessRequests } from './access/access-requests';
export { ClaimCodes, type ClaimOutcome } from './access/claim-code';
export { hasRole, isRole, roles } from './access/roles';
export { buttonsToNumberedOptions } from './adapters/numbered-options';
export { splitText } from './adapters/split-text';
export {
  type AdapterEntry,
  type BotConfig,
  defineConfig,
  type ModelEntry,
  type SkillEntry,
} from './config/define-config';
export { loadEnvFile } from './config/env-file';
export {
  configFileNames,
  findConfigFile,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  resolveDataDir,
} from './config/load-config';
export { validateConfig } from './config/validate-config';
export type {
  AnswerResult,
  ConversationAnswer,
  ConversationData,
  ConversationDefinition,
  ConversationState,
  ConversationStep,
  StepQuestion,
} from './conversations/conversation-types';
export { Conversations } from './conversations/conversations';
export { type Conversation, defineConversation } from './conversations/define-conversation';
export * from './egress/index';
export {
  BotwireError,
  type BotwireErrorOptions,
  isBotwireError,
  type Problem,
} from './errors/botwire-error';
export {
  type BotwireErrorCode,
  errorCatalog,
  type ProblemCode,
  problemCatalog,
} from './errors/error-catalog';
export {
  BotHttpServer,
  type BotHttpServerOptions,
  bearerToken,
  tokensEqual,
} from './http/http-server';
export { isLoopbackHost } from './http/loopback';
export { openApiDocument } from './http/openapi';
export { coreStrings } from './i18n/core-strings';
export {
  guessLocale,
  interpolate,
  type Locale,
  type LocalizedText,
  localizedText,
  normalizeLocale,
  type StringTable,
  translate,
} from './i18n/translate';
export {
  createLogger,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  silentLogger,
} from './logging/logger';
export { Redactor } from './logging/redact';
export type {
  Attachment,
  ChatRef,
  CommandCall,
  IncomingMessage,
  PlatformName,
  Sender,
} from './messages/incoming-message';
export { parseCommand } from './messages/incoming-message';
export type { Artifact, Button, OutgoingMessage, SentMessage } from './messages/outgoing-message';
export { toOutgoing } from './messages/outgoing-message';
export {
  Composer,
  type ComposerContext,
  compose,
  type MessageFilter,
  type Middleware,
  type NextFunction,
} from './middleware/composer';
export {
  cosineSimilarity,
  type LexicalEmbeddingOptions,
  lexicalEmbeddingModel,
} from './models/lexical-embeddings';
export { lexicalStem, lexicalWords } from './models/lexical-stemmer';
export {
  isRetryableModelError,
  type ModelErrorContext,
  type ModelHttpFailure,
  modelBadResponse,
  modelErrorFromStatus,
  modelErrorStatus,
  modelTimeout,
  modelUnavailable,
  parseRetryAfter,
  redactSecret,
  safeEndpoint,
} from './models/model-errors';
export {
  type CircuitState,
  type ModelCallReport,
  type ResilienceOptions,
  type ResilientChatModel,
  resilientChatModel,
} from './models/resilient-chat-model';
export {
  type CreateModelOptions,
  createChatModelFromSpec,
  createEmbeddingModelFromSpec,
  type ModelDriverFactory,
  type ModelDriverOptions,
  type ModelProvider,
  type ModelSpec,
  type ModelSpecEntry,
  modelPackageName,
  modelProviders,
  parseModelSpec,
} from './models/select-model';
export { answerMessages, composeAnswer } from './planner/answer-composer';
export { estimateTokens, historyWindow, quoteData } from './planner/conversation';
export {
  type ExecuteOptions,
  type ExecutionResult,
  executePlan,
  producesUntrustedOutput,
  type StepOutcome,
} from './planner/executor';
export {
  answerPlainly,
  type LlmPlannerInput,
  type ModelCaller,
  type PlanDecision,
  parsePlanResponse,
  planWithModel,
} from './planner/llm-planner';
export {
  dependenciesOf,
  findReferences,
  maxPlanSteps,
  type Plan,
  type PlanStep,
  resolveReferences,
} from './planner/plan';
export {
  type ContextProvider,
  type PlannerOptions,
  type PlannerSteps,
  plannerMiddleware,
  plannerSteps,
} from './planner/planner-steps';
export {
  type CompiledPattern,
  compilePatterns,
  planForCommand,
  planForPattern,
} from './planner/rules-planner';
export { runStepByStep, type StepByStepResult } from './planner/step-by-step';
export { validatePlan } from './planner/validate-plan';
export type { Adapter, AdapterCapabilities, AdapterHost, CommandInfo } from './ports/adapter';
export type {
  ChatMessage,
  ChatModel,
  ChatRequest,
  ChatResponse,
  ChatRole,
  ModelTool,
  ModelToolCall,
  TokenUsage,
} from './ports/chat-model';
export type { CodeSandbox, SandboxLimits, SandboxResult } from './ports/code-sandbox';
export type { EmbeddingModel } from './ports/embedding-model';
export type {
  HttpRoutes,
  ReadinessCheck,
  ReadinessResult,
  RouteDocument,
  RouteHandler,
} from './ports/http-routes';
export type { JobQueue, JobRecord, JobRequest } from './ports/job-queue';
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
export type { VectorIndex, VectorMatch, VectorRecord } from './ports/vector-index';
export { Bot, type BotOptions, createBot } from './runtime/bot';
export { BotContext } from './runtime/bot-context';
export type { BotServices, BotSettings } from './runtime/bot-services';
export { builtinCommandNames, helpText } from './runtime/builtin-commands';
export { type ChainStep, type DefaultStepName, insertStep } from './runtime/chain-steps';
export { adapterPackageName, resolveAdapters } from './runtime/resolve-adapters';
export { toolResultToReply } from './runtime/tool-reply';
export {
  defineSkill,
  type InlineSkill,
  type SkillDefinition,
  type SkillStrings,
  type ToolContext,
  type ToolHandler,
  type ToolHandlers,
  type ToolInputs,
  type ToolReply,
} from './skills/define-skill';
export {
  checkJsonSchema,
  compileJsonSchema,
  parseWithSchema,
  type SchemaDialect,
  type SchemaIssue,
  type SchemaMode,
} from './skills/json-schema';
export type { JsonSchemaType } from './skills/json-schema-type';
export {
  type LoadSkillOptions,
  loadSkill,
  type ResolvedSkill,
  resolveSkill,
  type SkillLoadResult,
} from './skills/load-skill';
export {
  type CommandManifest,
  type JsonSchema,
  type Permission,
  permissions,
  type SkillManifest,
  type ToolManifest,
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
export {
  parseManifestText,
  skillManifestSchema,
  validateManifest,
} from './skills/validate-manifest';
export { type SkillPathValidation, validateSkillPath } from './skills/validate-skill-path';
export { type MemoryStorageOptions, memoryStorage } from './storage/drivers/memory';
export { type SqliteStorageOptions, sqliteStorage } from './storage/drivers/sqlite';
export { type IdPrefix, newId } from './storage/ids';
export { scopeKeyValueStore } from './storage/scope-key-value-store';
export { budgetMiddleware, type UsageState, usageState } from './usage/budget-middleware';
export {
  type BudgetCheck,
  checkModelBudget,
  type DailyLimits,
  type LimitHit,
  type LimitName,
  type LimitSubject,
  limitNames,
  limitReply,
  limitStringKeys,
  limitSubjects,
  limitsFor,
  type UsageLimits,
} from './usage/usage-limits';
export {
  type CounterName,
  durationBuckets,
  escapeLabelValue,
  type HistogramName,
  type MetricName,
  UsageMetrics,
} from './usage/usage-metrics';
export {
  emptyUsage,
  type ModelCallRecord,
  type ToolCallRecord,
  type UsageCounter,
  type UsageCounts,
  UsageTracker,
  type UsageTrackerOptions,
  usageCounters,
  utcDay,
} from './usage/usage-tracker';
