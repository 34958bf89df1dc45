import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { accessCommandNames } from '../access/access-commands';
import { ClaimCodes } from '../access/claim-code';
import { OutgoingDegrader } from '../adapters/degrade-outgoing';
import type { BotConfig } from '../config/define-config';
import { resolveDataDir } from '../config/load-config';
import type { ConversationDefinition } from '../conversations/conversation-types';
import { Conversations } from '../conversations/conversations';
import { egressConfigFromEnv } from '../egress/egress-config';
import { closeEgressDispatcher } from '../egress/egress-fetch';
import { EgressPolicy } from '../egress/egress-policy';
import { BotwireError, isBotwireError } from '../errors/botwire-error';
import { BotHttpServer, newOwnerToken } from '../http/http-server';
import { previewImageGenerator } from '../images/preview-image-generator';
import { createLogger, type Logger } from '../logging/logger';
import { Redactor, redactingChatModel, redactOutgoing } from '../logging/redact';
import type { ChatRef, IncomingMessage } from '../messages/incoming-message';
import type { OutgoingMessage, SentMessage } from '../messages/outgoing-message';
import { Composer, type Middleware } from '../middleware/composer';
import { lexicalEmbeddingModel } from '../models/lexical-embeddings';
import { createChatModelFromSpec, createEmbeddingModelFromSpec } from '../models/select-model';
import type { ContextProvider } from '../planner/planner-steps';
import { type CompiledPattern, compilePatterns } from '../planner/rules-planner';
import type { Adapter, AdapterHost, CommandInfo } from '../ports/adapter';
import type { ChatModel } from '../ports/chat-model';
import type { ChatSequencer } from '../ports/chat-sequencer';
import type { EmbeddingModel } from '../ports/embedding-model';
import type { ImageGenerator } from '../ports/image-generator';
import type { JobQueue } from '../ports/job-queue';
import type { SpeechSynthesizer } from '../ports/speech-synthesizer';
import type { ChatRecord, StorageDriver, UserRecord } from '../ports/storage';
import type { VectorIndex } from '../ports/vector-index';
import { embeddedJobQueue } from '../scheduler/embedded-job-queue';
import { backgroundClock, type Clock } from '../scheduler/job-clock';
import { loadKeyRing } from '../secrets/load-key-ring';
import { SecretStore } from '../secrets/secret-store';
import type { RecallRequest, ToolModel } from '../skills/define-skill';
import { defaultSkillCacheDir } from '../skills/skill-cache';
import { type CallToolOptions, loadSkills, type SkillRegistry } from '../skills/skill-registry';
import { espeakSpeechSynthesizer } from '../speech/espeak-speech-synthesizer';
import { memoryStorage } from '../storage/drivers/memory';
import { sqliteStorage } from '../storage/drivers/sqlite';
import { scopeKeyValueStore } from '../storage/scope-key-value-store';
import { modelCallHooks } from '../usage/model-call-hooks';
import { checkModelBudget } from '../usage/usage-limits';
import { UsageTracker } from '../usage/usage-tracker';
import { embeddedVectorIndex } from '../vectors/embedded-vector-index';
import { BotContext } from './bot-context';
import { BotJobs } from './bot-jobs';
import type { BotServices, BotSettings } from './bot-services';
import { builtinCommandInfo, builtinCommandNames, skillCommandInfo } from './builtin-commands';
import type { ChainStep } from './chain-steps';
import { ChatLock } from './chat-lock';
import { ChatQueue } from './chat-queue';
import { defaultChain } from './default-chain';
import { modelReadiness, sequencerReadiness, storageReadiness } from './readiness-checks';
import { resolveAdapters } from './resolve-adapters';
import { startBanner } from './start-banner';
import { storageChatSequencer } from './storage-chat-sequencer';

/** Options for {@link createBot}. */
export interface BotOptions {
  config: BotConfig;
  /** The folder relative paths of the config are resolved against. Default: the current directory. */
  rootDir?: string;
  /** The data directory. Default: `config.dataDir` or `./data` under rootDir. */
  dataDir?: string;
  /** Adapters to run instead of the config's (the CLI's `chat` runs only the console). */
  adapters?: Adapter[];
  /** A chat model to use instead of the one the config or BOTWIRE_MODEL names. */
  model?: ChatModel;
  /** An embedding model to use instead of the one the config or BOTWIRE_EMBEDDINGS names. */
  embeddings?: EmbeddingModel;
  /** A vector index to use instead of the config's (default: the embedded one on the bot's storage). */
  vectors?: VectorIndex;
  /** A job queue to use instead of the config's (default: the embedded one on the bot's storage). */
  queue?: JobQueue;
  /** The clock of the embedded job queue (tests pass `manualClock()` from `@botwire/core/testing`). */
  clock?: Clock;
  log?: Logger;
  redactor?: Redactor;
  env?: NodeJS.ProcessEnv;
  /**
   * Where the start-up banner (sign-in link, claim code) is written: the terminal, never the
   * log. Default: standard error.
   */
  terminal?: { write(text: string): unknown };
  /**
   * Called after each tool call the bot makes (planned, by command, from a conversation or a
   * job): for tests that check which tools ran (`botwire test`) and for metrics. It must not
   * throw; what it throws is logged and ignored.
   */
  onToolCall?(call: FinishedToolCall): void;
}

/** One finished tool call, as {@link BotOptions.onToolCall} gets it. */
export interface FinishedToolCall {
  tool: string;
  /** The skill the tool belongs to; undefined for a name no skill has. */
  skill?: string;
  userId?: string;
  ok: boolean;
  /** The error's code (`BOTWIRE_...`) when it failed. */
  errorCode?: string;
  ms: number;
}

/**
 * A running bot: storage, skills, the middleware chain and the adapters that feed it.
 *
 * @example
 * const bot = createBot({ config: defineConfig({ storage: 'memory', adapters: [consoleAdapter()] }) });
 * await bot.start();
 * await bot.finished; // until every adapter's input ends, or bot.stop()
 */
export class Bot {
  readonly name: string;
  readonly config: BotConfig;
  readonly rootDir: string;
  readonly dataDir: string;
  readonly log: Logger;
  readonly redactor: Redactor;
  /** Resolves when every adapter has ended its input or the bot was stopped. */
  readonly finished: Promise<void>;
  private readonly env: NodeJS.ProcessEnv;
  private readonly composer = new Composer<BotContext>();
  private readonly adapterOverride: Adapter[] | undefined;
  private model: ChatModel | undefined;
  /** The model once wrapped to hide secrets from it (so a second init does not wrap it again). */
  private redactedModel: ChatModel | undefined;
  private embeddingModel: EmbeddingModel | undefined;
  private vectorIndex: VectorIndex | undefined;
  private jobQueue: JobQueue | undefined;
  private jobs: BotJobs | undefined;
  private readonly clock: Clock | undefined;
  private patterns: CompiledPattern[] = [];
  private readonly contextProviders: ContextProvider[] = [];
  private httpServer: BotHttpServer | undefined;
  private storageDriver: StorageDriver | undefined;
  private registry: SkillRegistry | undefined;
  private egressPolicy: EgressPolicy | undefined;
  private secretStore: SecretStore | undefined;
  private images: ImageGenerator | undefined;
  private speech: SpeechSynthesizer | undefined;
  private usageTracker: UsageTracker | undefined;
  private adapters: Adapter[] = [];
  private handler: Middleware<BotContext> | undefined;
  private steps: ChainStep[] = [];
  private claimCodes: ClaimCodes | undefined;
  private issuedClaimCode: string | undefined;
  private storedOwnerToken: string | undefined;
  private services: BotServices | undefined;
  private chatLock: ChatLock | undefined;
  private sequencer: ChatSequencer | undefined;
  private degrader: OutgoingDegrader | undefined;
  private readonly conversations = new Conversations();
  private readonly terminal: { write(text: string): unknown };
  private readonly onToolCall: BotOptions['onToolCall'];
  private readonly chatQueue = new ChatQueue();
  private readonly endedAdapters = new Set<Adapter>();
  private resolveFinished!: () => void;
  private state: 'new' | 'initialized' | 'running' | 'stopped' = 'new';
  private initializing: Promise<void> | undefined;
  private stopStep: string | undefined;

  constructor(options: BotOptions) {
    this.config = options.config;
    this.name = options.config.name ?? 'Botwire';
    this.rootDir = options.rootDir ?? process.cwd();
    this.env = options.env ?? process.env;
    this.dataDir = options.dataDir ?? resolveDataDir(options.config, this.rootDir, this.env);
    this.redactor = options.redactor ?? new Redactor();
    this.redactor.addFromEnvironment(this.env);
    this.log = options.log ?? createLogger({ ...options.config.log, redactor: this.redactor });
    this.adapterOverride = options.adapters;
    this.model = options.model;
    this.embeddingModel = options.embeddings;
    this.clock = options.clock;
    this.jobQueue =
      options.queue ??
      (typeof options.config.queue === 'object' ? options.config.queue : undefined);
    this.vectorIndex =
      options.vectors ??
      (typeof options.config.vectors === 'object' ? options.config.vectors : undefined);
    this.terminal = options.terminal ?? process.stderr;
    this.onToolCall = options.onToolCall;
    for (const conversation of options.config.conversations ?? []) this.register(conversation);
    for (const extension of options.config.extensions ?? [])
      for (const conversation of extension.conversations ?? []) this.register(conversation);
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
  }

  /** The storage driver; available after {@link init}. */
  get storage(): StorageDriver {
    if (!this.storageDriver)
      throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
        message: 'The bot is not initialized: call bot.init() or bot.start() first.',
      });
    return this.storageDriver;
  }

  /** The loaded skills; available after {@link init}. */
  get skills(): SkillRegistry {
    if (!this.registry)
      throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
        message: 'The bot is not initialized: call bot.init() or bot.start() first.',
      });
    return this.registry;
  }

  /**
   * The egress policy of every outbound request the bot's skills make: `config.egress`, with
   * BOTWIRE_EGRESS_ALLOW and BOTWIRE_EGRESS_DENY from the environment added to its lists.
   */
  get egress(): EgressPolicy {
    this.egressPolicy ??= new EgressPolicy(egressConfigFromEnv(this.config.egress, this.env));
    return this.egressPolicy;
  }

  /** The config's image generator, or local previews labelled as such (no account needed). */
  get imageGenerator(): ImageGenerator {
    this.images ??= this.config.images ?? previewImageGenerator();
    return this.images;
  }

  /** The config's text-to-speech driver, or the embedded espeak one (needs espeak-ng and ffmpeg). */
  get speechSynthesizer(): SpeechSynthesizer {
    this.speech ??= this.config.speech ?? espeakSpeechSynthesizer();
    return this.speech;
  }

  /**
   * The encrypted secrets of the bot's skills; available after {@link init}. The key ring loads
   * on first use (BOTWIRE_SECRET_KEYS, else `<dataDir>/secret-keys`, generated if missing).
   */
  get secrets(): SecretStore {
    this.secretStore ??= new SecretStore({
      kv: this.storage.kv,
      keyRing: () => loadKeyRing({ env: this.env, dataDir: this.dataDir, log: this.log }),
      onValue: (value) => this.redactor.add(value),
      log: this.log.child({ component: 'secrets' }),
    });
    return this.secretStore;
  }

  /** Usage counts per user, skill and day, and the process metrics; available after {@link init}. */
  get usage(): UsageTracker {
    if (!this.usageTracker)
      throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
        message: 'The bot is not initialized: call bot.init() or bot.start() first.',
      });
    return this.usageTracker;
  }

  /** The chat model the planner uses; undefined when the bot runs on commands and patterns alone. */
  get chatModel(): ChatModel | undefined {
    return this.model;
  }

  /** The embedding model skills embed with (the lexical one without a model); available after {@link init}. */
  get embeddings(): EmbeddingModel {
    this.embeddingModel ??= lexicalEmbeddingModel();
    return this.embeddingModel;
  }

  /** The vector index skills keep vectors in; available after {@link init}. */
  get vectors(): VectorIndex {
    this.vectorIndex ??= embeddedVectorIndex({ storage: this.storage });
    return this.vectorIndex;
  }

  /** Adds facts to what the model sees for each message (long-term memory plugs in here). */
  provideContext(provider: ContextProvider): this {
    this.contextProviders.push(provider);
    return this;
  }

  /**
   * The bot's HTTP server (health, readiness, metrics, and the routes adapters mount). Created
   * on first use; `start()` starts it when an adapter used it or the config has `http`.
   */
  http(): BotHttpServer {
    if (this.config.http === false) {
      throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
        message:
          'The HTTP server is turned off (http: false in the config), but an adapter needs it.',
      });
    }
    if (!this.httpServer) {
      const options = this.config.http || {};
      const server = new BotHttpServer({
        ...options,
        ...(this.storedOwnerToken ? { generatedToken: this.storedOwnerToken } : {}),
        log: this.log.child({ component: 'http' }),
        metrics: async () =>
          `${this.usageTracker ? this.usage.metricsText() : ''}${this.jobs ? await this.jobs.metricsText().catch(() => '') : ''}`,
        title: this.name,
      });
      server.addReadinessCheck(
        'storage',
        storageReadiness(() => this.storageDriver),
      );
      server.addReadinessCheck(
        'model',
        modelReadiness(() => this.model),
      );
      server.addReadinessCheck(
        'sequencer',
        sequencerReadiness(() => this.sequencer),
      );
      server.addReadinessCheck('queue', async () =>
        this.jobs ? this.jobs.readiness()() : { ok: false, error: 'not open' },
      );
      this.redactor.add(server.token);
      this.httpServer = server;
    }
    return this.httpServer;
  }

  /**
   * The claim code this process showed at start-up, until someone claims the bot through it.
   * Only its hash is stored.
   */
  get claimCode(): string | undefined {
    return this.issuedClaimCode;
  }

  /** Adds middleware in the `user-middleware` step, after the config's middleware. */
  use(...middleware: Middleware<BotContext>[]): this {
    this.composer.use(...middleware);
    return this;
  }

  /** Registers a conversation (a multi-step flow) the bot's middleware can enter. */
  conversation(definition: ConversationDefinition<any>): this {
    this.register(definition);
    return this;
  }

  private register(definition: ConversationDefinition<any>): void {
    this.conversations.register(definition);
  }

  /** The names of the chain's steps, in order (after `init()`). */
  get chain(): string[] {
    return this.steps.map((step) => step.name);
  }

  /**
   * Opens storage and loads and validates every skill. Throws BOTWIRE_SKILLS_INVALID listing
   * every problem when a skill is broken, so a bad bot never starts half-way.
   */
  init(): Promise<void> {
    this.initializing ??= this.initialize();
    return this.initializing;
  }

  private async initialize(): Promise<void> {
    const reservedCommands = [...builtinCommandNames, ...accessCommandNames];
    // Skills first: a broken skill should fail before any file is created.
    this.registry = await loadSkills(this.config.skills ?? [], {
      baseDir: this.rootDir,
      reservedCommands,
      env: this.env,
      log: this.log,
      cacheDir: defaultSkillCacheDir(this.rootDir, this.dataDir),
    });
    this.patterns = compilePatterns(this.registry);
    // Conversations skills export, imported with the skill's module when a chat needs one.
    for (const skill of this.registry.skills)
      for (const name of skill.manifest.conversations ?? [])
        this.conversations.registerLazy(
          name,
          async () =>
            (await skill.loadDefinition()).conversations?.find(
              (conversation) => conversation.name === name,
            ) as ConversationDefinition | undefined,
        );
    this.model ??= await createChatModelFromSpec(this.config.model, {
      rootDir: this.rootDir,
      env: this.env,
    });
    if (this.model && this.model !== this.redactedModel) {
      // Whatever the model is sent (the planner's prompts, a tool's calls), secrets are hidden.
      this.model = redactingChatModel(this.redactor, this.model);
      this.redactedModel = this.model;
    }
    if (this.model)
      this.log.info('model-ready', { provider: this.model.provider, model: this.model.model });
    this.embeddingModel ??= await createEmbeddingModelFromSpec(this.config.embeddings, {
      rootDir: this.rootDir,
      env: this.env,
      path: 'embeddings',
    });
    const storage = this.createStorage();
    this.storageDriver = storage;
    await storage.open();
    this.usageTracker = new UsageTracker(storage.kv);
    this.jobQueue ??= embeddedJobQueue({
      storage,
      // Storage no other process reaches gets no jobs behind this queue's back: its poll is only
      // a safety net (and a fake clock moved by days runs through far fewer of them).
      ...(storage.processLocal ? { pollMs: 60_000 } : {}),
      log: this.log.child({ component: 'jobs' }),
      clock: this.clock ?? backgroundClock,
    });
    this.jobs = new BotJobs(this.jobQueue, {
      // Once stopping, a due job finds no messenger: its try fails and it runs after the restart.
      adapter: (name) =>
        this.state === 'stopped'
          ? undefined
          : this.adapters.find((adapter) => adapter.name === name),
      deliver: (adapter, chat, message, options) => this.deliver(adapter, chat, message, options),
      receive: (adapter, message) => this.receive(adapter, message),
      storage: () => this.storage,
      log: this.log.child({ component: 'jobs' }),
    });
    this.jobs.register();
    this.degrader = new OutgoingDegrader(storage.kv);
    // Storage that only this process reaches needs no lease to keep a chat in order.
    this.chatLock = storage.processLocal ? undefined : new ChatLock(storage.kv);
    const sequencer = this.config.sequencer;
    this.sequencer =
      typeof sequencer === 'object'
        ? sequencer
        : sequencer === 'none' || (storage.processLocal && sequencer !== 'storage')
          ? undefined
          : storageChatSequencer(storage.kv, { flush: () => storage.flush?.() });
    this.claimCodes = new ClaimCodes(storage.kv);
    const owners = await storage.users.list({ role: 'owner', limit: 1 });
    if (owners.length === 0) this.issuedClaimCode = await this.claimCodes.issue();
    else await this.claimCodes.withdraw();
    // The web owner token outlives restarts; /token makes a new one.
    this.storedOwnerToken = await storage.kv.get<string>('runtime', 'owner-token');
    if (!this.storedOwnerToken) {
      this.storedOwnerToken = newOwnerToken();
      await storage.kv.set('runtime', 'owner-token', this.storedOwnerToken);
    }
    this.redactor.add(this.storedOwnerToken);
    this.services = this.createServices(storage, this.registry);
    this.steps = defaultChain({
      degrader: this.degrader,
      claimCodes: this.claimCodes,
      onClaimed: () => {
        this.issuedClaimCode = undefined;
      },
      usage: this.usageTracker,
      limits: this.config.limits,
      planner: {
        model: () => this.model,
        patterns: () => this.patterns,
        contextProviders: () => this.contextProviders,
        ...modelCallHooks(() => this.usage, this.config.limits),
        ...(this.config.planner?.mode ? { mode: this.config.planner.mode } : {}),
        ...(this.config.planner?.historyTokens
          ? { historyTokens: this.config.planner.historyTokens }
          : {}),
        ...(this.config.planner?.factTokens !== undefined
          ? { factTokens: this.config.planner.factTokens }
          : {}),
      },
      ...(this.config.http === false ? {} : { rotateOwnerToken: () => this.rotateOwnerToken() }),
      middleware: this.config.middleware ?? [],
      // bot.use() is read lazily, so it works before and after start().
      added: () => this.composer.middleware(),
      conversations: this.conversations,
      jobs: () => this.jobQueue,
    });
    for (const extension of this.config.extensions ?? [])
      if (extension.chain) this.steps = extension.chain([...this.steps]);
    if (this.config.chain) this.steps = this.config.chain([...this.steps]);
    this.handler = new Composer<BotContext>()
      .errorBoundary(
        (error, context) => this.handleError(error, context),
        ...this.steps.map((step) => step.middleware),
      )
      .middleware();
    this.state = 'initialized';
  }

  private createServices(storage: StorageDriver, skills: SkillRegistry): BotServices {
    const settings: BotSettings = {
      name: this.name,
      access: this.config.access ?? 'owner',
      allow: this.config.allow ?? [],
      ...(this.config.persona ? { persona: this.config.persona } : {}),
      ...(this.config.locale ? { locale: this.config.locale } : {}),
      ...(this.config.defaultTimezone ? { defaultTimezone: this.config.defaultTimezone } : {}),
    };
    return {
      settings,
      storage,
      skills,
      log: this.log,
      chatModel: () => this.model,
      adapter: (name) => this.adapters.find((adapter) => adapter.name === name),
      deliver: (adapter, chat, message, options) => this.deliver(adapter, chat, message, options),
      callTool: (name, args, options) => this.callTool(name, args, options),
      recall: (request, options) => this.recall(request, options),
      payment: (event, options = {}) =>
        skills.payment(event, { ...options, ...this.toolServices(options.user) }),
      toolsFor: (options) =>
        skills.withToolsFor({ ...options, ...this.toolServices(options.user) }),
      hideSecret: (value) => this.redactor.add(value),
      secrets: () => this.secrets,
      expectsSecret: (context) => this.conversations.expectsSecret(context as BotContext),
      keepSecret: async (userId, name, value) => {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        const key = `${name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100)}.${randomUUID().slice(0, 8)}`;
        await this.secrets.set({ skill: 'conversations', user: userId }, key, text);
        return { keptSecret: key };
      },
      takeSecret: async (userId, kept) => {
        const key = (kept as { keptSecret?: unknown } | null)?.keptSecret;
        if (typeof key !== 'string') return kept;
        const scope = { skill: 'conversations', user: userId };
        const value = await this.secrets.get(scope, key);
        await this.secrets.delete(scope, key);
        return value;
      },
      enterConversation: (context, name, data) =>
        this.conversations.enter(context as BotContext, name, data),
      ...(this.jobs ? { queueTask: this.jobs.queueTask.bind(this.jobs) } : {}),
      jobs: () => this.jobQueue,
      http: () => this.http(),
      images: () => this.imageGenerator,
      speech: () => this.speechSynthesizer,
    };
  }

  /** Makes a new owner token, stores it and returns the web sign-in link (printed on the terminal too). */
  private async rotateOwnerToken(): Promise<string | undefined> {
    if (!this.httpServer) return undefined;
    const token = this.httpServer.rotateToken();
    this.storedOwnerToken = token;
    this.redactor.add(token);
    await this.storage.kv.set('runtime', 'owner-token', token);
    const link = `${this.httpServer.url}/#token=${token}`;
    this.terminal.write(startBanner({ name: this.name, signInLink: link }));
    return link;
  }

  private createStorage(): StorageDriver {
    const storage = this.config.storage ?? 'sqlite';
    if (storage === 'memory') return memoryStorage();
    if (storage === 'sqlite') return sqliteStorage({ path: join(this.dataDir, 'botwire.db') });
    return storage;
  }

  private async handleError(error: unknown, context: BotContext): Promise<void> {
    const code = isBotwireError(error) ? error.code : 'BOTWIRE_INTERNAL';
    context.log.error('message-failed', { error, code });
    try {
      await context.reply(context.t('error.internal', { code }));
    } catch (replyError) {
      context.log.error('error-reply-failed', { error: replyError });
    }
  }

  /** Initializes the bot and starts every adapter. Prints the claim code while there is no owner. */
  async start(): Promise<void> {
    await this.init();
    this.adapters =
      this.adapterOverride ?? (await resolveAdapters(this.config.adapters ?? [], this.rootDir));
    if (this.adapters.length === 0) {
      this.log.warn('no-adapters', {
        hint: 'add adapters to the config (for example adapters: ["console"]) or use `botwire chat`',
      });
    }
    this.log.info('bot-starting', {
      bot: this.name,
      adapters: this.adapters.map((adapter) => adapter.name),
      skills: this.skills.skills.map((skill) => skill.manifest.name),
      dataDir: this.dataDir,
    });
    for (const adapter of this.adapters) {
      await adapter.start(this.hostFor(adapter));
      this.log.debug('adapter-started', { adapter: adapter.name });
    }
    // Due jobs (reminders) go out once the adapters that deliver them run.
    await this.jobQueue?.start();
    for (const extension of this.config.extensions ?? []) {
      await extension.start?.(this.services!);
      this.log.debug('extension-started', { extension: extension.name });
    }
    // Listening starts once every route is mounted (adapters' and extensions' webhooks).
    if (this.httpServer || (this.config.http && typeof this.config.http === 'object'))
      await this.http().start();
    this.state = 'running';
    this.showBanner();
    if (this.adapters.length === 0) this.resolveFinished();
  }

  /**
   * Writes the start-up banner to the terminal: the web sign-in link and, while the bot has no
   * owner and a messenger needs one, the claim code. Credentials never go to the log.
   */
  private showBanner(): void {
    const server = this.httpServer;
    const listening = server && server.url !== 'http://127.0.0.1:0' ? server : undefined;
    const page = listening?.serves('/');
    // Only a messenger whose owner cannot sign in otherwise needs the claim code.
    const claimFrom = this.adapters
      .filter(
        (adapter) => !adapter.capabilities.localOperator && !adapter.capabilities.verifiesRoles,
      )
      .map((adapter) => adapter.name);
    const claimCode = claimFrom.length ? this.issuedClaimCode : undefined;
    const banner = startBanner({
      name: this.name,
      ...(listening ? { url: listening.url } : {}),
      ...(listening?.tokenGenerated && page
        ? { signInLink: `${listening.url}/#token=${listening.token}` }
        : listening?.tokenGenerated
          ? { ownerToken: listening.token }
          : {}),
      ...(claimCode ? { claimCode, claimFrom } : {}),
    });
    if (banner) this.terminal.write(banner);
    if (claimCode) this.log.warn('no-owner', { hint: 'send the claim code shown on the terminal' });
  }

  /**
   * What {@link stop} is waiting for while it runs (`adapter telegram`, `messages in flight`,
   * `http server`, `storage`), so a shutdown deadline can say what did not stop.
   */
  get stopping(): string | undefined {
    return this.stopStep;
  }

  /** Stops the adapters (waiting for replies in flight) and closes storage. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    for (const extension of [...(this.config.extensions ?? [])].reverse()) {
      try {
        this.stopStep = `extension ${extension.name}`;
        await extension.stop?.();
      } catch (error) {
        this.log.error('extension-stop-failed', { extension: extension.name, error });
      }
    }
    for (const adapter of this.adapters) {
      try {
        this.stopStep = `adapter ${adapter.name}`;
        await adapter.stop();
      } catch (error) {
        this.log.error('adapter-stop-failed', { adapter: adapter.name, error });
      }
    }
    this.stopStep = 'messages in flight';
    await this.chatQueue.idle();
    this.stopStep = 'http server';
    await this.httpServer?.stop();
    this.stopStep = 'outbound connections';
    if (this.egressPolicy) await closeEgressDispatcher(this.egressPolicy);
    this.stopStep = 'job queue';
    try {
      await this.jobQueue?.close();
    } catch (error) {
      this.log.error('job-queue-close-failed', { error });
    }
    this.stopStep = 'chat sequencer';
    try {
      await this.sequencer?.close();
    } catch (error) {
      this.log.error('sequencer-close-failed', { error });
    }
    this.stopStep = 'code sandbox';
    try {
      await this.config.sandbox?.close();
    } catch (error) {
      this.log.error('sandbox-close-failed', { error });
    }
    this.stopStep = 'vector index';
    try {
      await this.vectorIndex?.close();
    } catch (error) {
      this.log.error('vector-index-close-failed', { error });
    }
    this.stopStep = 'storage';
    // The code this process showed goes with its terminal; other processes' codes stay.
    await this.claimCodes
      ?.release()
      .catch((error: unknown) => this.log.warn('claim-code-release-failed', { error }));
    await this.storageDriver?.close();
    this.stopStep = undefined;
    this.resolveFinished();
  }

  private hostFor(adapter: Adapter): AdapterHost {
    return {
      receive: (message) => this.receive(adapter, message),
      end: () => {
        this.endedAdapters.add(adapter);
        if (this.adapters.every((each) => this.endedAdapters.has(each))) this.resolveFinished();
      },
      commands: () => this.commands(),
      dataDir: this.dataDir,
      http: () => this.http(),
      kv: scopeKeyValueStore(this.storage.kv, `adapter:${adapter.name}`),
      log: this.log.child({ adapter: adapter.name }),
      ...(this.sequencer ? { sequencer: this.sequencer } : {}),
    };
  }

  /** Every command of the bot (built-in, from extensions and from skills), for command menus. */
  commands(): CommandInfo[] {
    const fromSkills = (this.registry?.listCommands() ?? []).map(({ command }) =>
      skillCommandInfo(command),
    );
    // An extension's command replaces a built-in one of the same name (a desk's own /help).
    const fromExtensions = (this.config.extensions ?? []).flatMap(
      (extension) => extension.commands ?? [],
    );
    const taken = new Set(fromExtensions.map((command) => command.name));
    return [
      ...builtinCommandInfo().filter((command) => !taken.has(command.name)),
      ...fromExtensions,
      ...fromSkills,
    ];
  }

  /**
   * Processes one incoming message. Messages of one chat run one after another, in the order
   * they arrive; different chats run concurrently.
   */
  receive(adapter: Adapter, message: IncomingMessage): Promise<void> {
    const key = `${adapter.name}:${message.chat.platformId}`;
    // The queue keeps arrival order in this process; the lease in storage keeps other
    // processes sharing the storage out of this chat meanwhile.
    return this.chatQueue.run(key, () =>
      this.chatLock
        ? this.chatLock.run(key, () => this.process(adapter, message))
        : this.process(adapter, message),
    );
  }

  private async process(adapter: Adapter, message: IncomingMessage): Promise<void> {
    if (!this.handler || !this.services)
      throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
        message: 'The bot is not initialized: call bot.start() first.',
      });
    const context = new BotContext(this.services, adapter, message);
    const started = Date.now();
    await this.handler(context, async () => {});
    context.log.debug('message-handled', {
      ms: Date.now() - started,
      replies: context.replies.length,
    });
  }

  /**
   * Sends a message through an adapter, degrading what it cannot show (buttons become
   * numbered options, kept in storage), and records it in the chat's history when `chatId`
   * is given. `onWrite` goes to the adapter (`SendOptions.onWrite`).
   */
  async deliver(
    adapter: Adapter,
    chat: ChatRef,
    message: OutgoingMessage,
    options: { chatId?: string; meta?: Record<string, unknown>; onWrite?: () => void } = {},
  ): Promise<SentMessage> {
    // No known secret leaves the bot in a reply (nor is kept in the history).
    message = redactOutgoing(this.redactor, message);
    const outgoing = this.degrader
      ? await this.degrader.degrade(
          adapter.capabilities,
          `${adapter.name}:${chat.platformId}`,
          message,
        )
      : message;
    const sent = options.onWrite
      ? await adapter.send(chat, outgoing, { onWrite: options.onWrite })
      : await adapter.send(chat, outgoing);
    if (options.chatId && this.storageDriver) {
      const artifacts = outgoing.artifacts?.length
        ? { artifacts: outgoing.artifacts.map((artifact) => artifact.name) }
        : {};
      const meta = { ...artifacts, ...options.meta };
      await this.storageDriver.messages.append({
        chatId: options.chatId,
        direction: 'out',
        text: outgoing.text,
        ...(sent.platformMessageIds[0] ? { platformMessageId: sent.platformMessageIds[0] } : {}),
        ...(Object.keys(meta).length ? { meta } : {}),
      });
    }
    return sent;
  }

  /** Runs one tool with the checks of the skill registry (permissions, arguments, timeout). */
  callTool(
    name: string,
    args: unknown,
    options: Omit<CallToolOptions, 'storage' | 'log' | 'egress'> = {},
  ): Promise<unknown> {
    const invoke = () =>
      this.skills.callTool(name, args, {
        ...options,
        ...this.toolServices(options.user),
      });
    const skill = this.skills.getTool(name)?.skill.manifest.name;
    const observer = this.onToolCall;
    const run = observer
      ? async () => {
          const started = Date.now();
          const record = {
            tool: name,
            ...(skill ? { skill } : {}),
            ...(options.user ? { userId: options.user.id } : {}),
          };
          const notify = (extra: { ok: boolean; errorCode?: string }) => {
            try {
              observer({ ...record, ...extra, ms: Date.now() - started });
            } catch (error) {
              this.log.warn('tool-call-observer-failed', { tool: name, error });
            }
          };
          try {
            const result = await invoke();
            notify({ ok: true });
            return result;
          } catch (error) {
            notify({
              ok: false,
              errorCode: isBotwireError(error) ? error.code : 'BOTWIRE_INTERNAL',
            });
            throw error;
          }
        }
      : invoke;
    if (!skill) return run();
    const call = { skill, tool: name, ...(options.user ? { userId: options.user.id } : {}) };
    return this.usage.trackToolCall(call, run, (error) =>
      this.log.warn('usage-record-failed', { tool: name, error }),
    );
  }

  /**
   * What a tool or a skill's recall gets from the bot besides the call's own options: storage,
   * the egress policy, vectors, embeddings, and the chat model with the user's budget.
   */
  private toolServices(user: UserRecord | undefined) {
    const model = this.model && user ? this.budgetedModel(this.model, user) : undefined;
    return {
      storage: this.storage,
      log: this.log,
      egress: this.egress,
      vectors: this.vectors,
      embeddings: this.embeddings,
      botName: this.name,
      configDir: this.rootDir,
      ...(this.config.defaultTimezone ? { defaultTimezone: this.config.defaultTimezone } : {}),
      ...(this.jobs ? { jobs: this.jobs } : {}),
      ...(this.config.sandbox ? { sandbox: this.config.sandbox } : {}),
      images: this.imageGenerator,
      ...(this.config.transcriber ? { transcriber: this.config.transcriber } : {}),
      speech: this.speechSynthesizer,
      secrets: this.secrets,
      ...(model ? { model } : {}),
    };
  }

  /** The chat model as a tool calls it: refused when the user's model budget is spent, and counted. */
  private budgetedModel(model: ChatModel, user: UserRecord): ToolModel {
    return {
      provider: model.provider,
      model: model.model,
      ...(model.vision !== undefined ? { vision: model.vision } : {}),
      chat: async (request) => {
        const budget = await checkModelBudget(this.usage, this.config.limits, user);
        if (!budget.ok) {
          throw new BotwireError('BOTWIRE_LIMIT_REACHED', {
            message: `The daily model budget of user ${user.id} is spent.`,
          });
        }
        const started = Date.now();
        let response: Awaited<ReturnType<ChatModel['chat']>> | undefined;
        try {
          response = await model.chat(request);
          return response;
        } finally {
          await this.usage
            .recordModelCall({
              userId: user.id,
              provider: model.provider,
              model: response?.model ?? model.model,
              inputTokens: response?.usage.inputTokens ?? 0,
              outputTokens: response?.usage.outputTokens ?? 0,
              latencyMs: Date.now() - started,
              ok: response !== undefined,
            })
            .catch((error: unknown) => this.log.warn('usage-record-failed', { error }));
        }
      },
    };
  }

  /** Facts the recalling skills give for a message of this user (memory), within `maxTokens`. */
  recall(
    request: RecallRequest,
    options: Omit<CallToolOptions, 'storage' | 'log' | 'egress'> = {},
  ): Promise<string[]> {
    return this.skills.recall(request, { ...options, ...this.toolServices(options.user) });
  }

  /** Finds or creates the user a CLI or API call acts as. */
  async operator(): Promise<{ user: UserRecord; chat: ChatRecord }> {
    const identity = { platform: 'cli', platformId: 'operator' };
    let user = await this.storage.users.resolve(identity, { name: 'operator' });
    if (user.role !== 'owner') user = await this.storage.users.update(user.id, { role: 'owner' });
    const chat = await this.storage.chats.resolve(identity, { type: 'private' });
    return { user, chat };
  }
}

/** Creates a bot from a config. Call `start()` to run it, or `init()` to use its tools only. */
export function createBot(options: BotOptions): Bot {
  return new Bot(options);
}
