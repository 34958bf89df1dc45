import { join } from 'node:path';
import { accessCommandNames, accessCommands } from '../access/access-commands';
import { accessControl } from '../access/access-control';
import { ClaimCode } from '../access/claim-code';
import type { Adapter, AdapterHost, CommandInfo } from '../adapters/adapter';
import { OutgoingDegrader } from '../adapters/degrade-outgoing';
import type { BotConfig } from '../config/define-config';
import { resolveDataDir } from '../config/load-config';
import { egressConfigFromEnv } from '../egress/egress-config';
import { closeEgressDispatcher } from '../egress/egress-fetch';
import { EgressPolicy } from '../egress/egress-policy';
import { BotwireError, isBotwireError } from '../errors/botwire-error';
import { BotHttpServer } from '../http/http-server';
import { guessLocale, normalizeLocale } from '../i18n/translate';
import { createLogger, type Logger } from '../logging/logger';
import { Redactor } from '../logging/redact';
import type { ChatRef, IncomingMessage } from '../messages/incoming-message';
import type { OutgoingMessage, SentMessage } from '../messages/outgoing-message';
import { Composer, type Middleware } from '../middleware/composer';
import type { ChatModel } from '../models/chat-model';
import { createChatModelFromSpec } from '../models/select-model';
import { type ContextProvider, plannerMiddleware } from '../planner/planner-middleware';
import { type CompiledPattern, compilePatterns } from '../planner/rules-planner';
import { type CallToolOptions, loadSkills, type SkillRegistry } from '../skills/skill-registry';
import { memoryStorage } from '../storage/drivers/memory';
import { sqliteStorage } from '../storage/drivers/sqlite';
import {
  type ChatRecord,
  type StorageDriver,
  scopeKeyValueStore,
  type UserRecord,
} from '../storage/storage-driver';
import { budgetMiddleware } from '../usage/budget-middleware';
import { modelCallHooks } from '../usage/model-call-hooks';
import { UsageTracker } from '../usage/usage-tracker';
import { BotContext } from './bot-context';
import {
  builtinCommandInfo,
  builtinCommandNames,
  builtinCommands,
  fallbackReply,
} from './builtin-commands';
import { ChatQueue } from './chat-queue';
import { modelReadiness, storageReadiness } from './readiness-checks';
import { resolveAdapters } from './resolve-adapters';

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
  log?: Logger;
  redactor?: Redactor;
  env?: NodeJS.ProcessEnv;
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
  private patterns: CompiledPattern[] = [];
  private readonly contextProviders: ContextProvider[] = [];
  private httpServer: BotHttpServer | undefined;
  private storageDriver: StorageDriver | undefined;
  private registry: SkillRegistry | undefined;
  private egressPolicy: EgressPolicy | undefined;
  private usageTracker: UsageTracker | undefined;
  private adapters: Adapter[] = [];
  private handler: Middleware<BotContext> | undefined;
  private claim: ClaimCode | undefined;
  private readonly chatQueue = new ChatQueue();
  private readonly degrader = new OutgoingDegrader();
  private readonly endedAdapters = new Set<Adapter>();
  private resolveFinished!: () => void;
  private state: 'new' | 'initialized' | 'running' | 'stopped' = 'new';
  private initializing: Promise<void> | undefined;

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
        log: this.log.child({ component: 'http' }),
        metrics: () => (this.usageTracker ? this.usage.metricsText() : ''),
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
      this.redactor.add(server.token);
      this.httpServer = server;
    }
    return this.httpServer;
  }

  /** The claim code, while the bot has no owner. */
  get claimCode(): string | undefined {
    return this.claim?.active ? this.claim.value : undefined;
  }

  /** Adds middleware after access control and the config's middleware, before skill commands. */
  use(...middleware: Middleware<BotContext>[]): this {
    this.composer.use(...middleware);
    return this;
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
    });
    this.patterns = compilePatterns(this.registry);
    this.model ??= await createChatModelFromSpec(this.config.model, {
      rootDir: this.rootDir,
      env: this.env,
    });
    if (this.model)
      this.log.info('model-ready', { provider: this.model.provider, model: this.model.model });
    this.storageDriver = this.createStorage();
    await this.storageDriver.open();
    this.usageTracker = new UsageTracker(this.storageDriver.kv);
    const owners = await this.storageDriver.users.list({ role: 'owner', limit: 1 });
    if (owners.length === 0) this.claim = new ClaimCode();
    this.handler = this.buildChain();
    this.state = 'initialized';
  }

  private createStorage(): StorageDriver {
    const storage = this.config.storage ?? 'sqlite';
    if (storage === 'memory') return memoryStorage();
    if (storage === 'sqlite') return sqliteStorage({ path: join(this.dataDir, 'botwire.db') });
    return storage;
  }

  private buildChain(): Middleware<BotContext> {
    const chain = new Composer<BotContext>();
    chain.errorBoundary(
      (error, context) => this.handleError(error, context),
      accessControl({
        mode: this.config.access ?? 'owner',
        allow: this.config.allow ?? [],
        claimCode: () => this.claim,
        onClaimed: () => {
          this.claim = undefined;
        },
      }),
      builtinCommands().middleware(),
      accessCommands().middleware(),
      budgetMiddleware(this.usage, this.config.limits),
      ...(this.config.middleware ?? []),
      // Read lazily, so bot.use() works before and after start().
      (context, next) => this.composer.middleware()(context, next),
      plannerMiddleware({
        model: () => this.model,
        patterns: () => this.patterns,
        contextProviders: () => this.contextProviders,
        ...modelCallHooks(() => this.usage, this.config.limits),
        ...(this.config.planner?.mode ? { mode: this.config.planner.mode } : {}),
        ...(this.config.planner?.historyTokens
          ? { historyTokens: this.config.planner.historyTokens }
          : {}),
      }),
      fallbackReply(),
    );
    return chain.middleware();
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
    if (this.httpServer || (this.config.http && typeof this.config.http === 'object'))
      await this.startHttp();
    this.state = 'running';
    if (
      this.claim?.active &&
      // Only a messenger whose owner cannot sign in otherwise needs the claim code.
      this.adapters.some(
        (adapter) => !adapter.capabilities.localOperator && !adapter.capabilities.verifiesRoles,
      )
    ) {
      this.log.warn(
        `No owner yet. Send this claim code to the bot to become its owner: ${this.claim.value}`,
      );
    }
    if (this.adapters.length === 0) this.resolveFinished();
  }

  private async startHttp(): Promise<void> {
    const server = this.http();
    await server.start();
    if (server.tokenGenerated) {
      // The owner's sign-in token: shown once on the terminal, never written to the log.
      const page = server.app.routes.some((route) => route.method === 'GET' && route.path === '/');
      process.stderr.write(
        `\n  ${this.name} is listening on ${server.url}\n  Owner token (sign in to the web chat with it): ${server.token}\n${page ? `  Open the web chat, signed in as the owner: ${server.url}/#token=${server.token}\n` : ''}\n`,
      );
    }
  }

  /** Stops the adapters (waiting for replies in flight) and closes storage. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    for (const adapter of this.adapters) {
      try {
        await adapter.stop();
      } catch (error) {
        this.log.error('adapter-stop-failed', { adapter: adapter.name, error });
      }
    }
    await this.chatQueue.idle();
    await this.httpServer?.stop();
    if (this.egressPolicy) await closeEgressDispatcher(this.egressPolicy);
    await this.storageDriver?.close();
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
    };
  }

  /** Every command of the bot (built-in and from skills), for command menus. */
  commands(): CommandInfo[] {
    const fromSkills = (this.registry?.listCommands() ?? []).map(({ command }) => {
      const description =
        typeof command.description === 'string'
          ? { en: command.description, ru: command.description }
          : { en: command.description.en, ru: command.description.ru ?? command.description.en };
      return { name: command.name, description };
    });
    return [...builtinCommandInfo(), ...fromSkills];
  }

  /**
   * Processes one incoming message. Messages of one chat run one after another, in the order
   * they arrive; different chats run concurrently.
   */
  receive(adapter: Adapter, message: IncomingMessage): Promise<void> {
    return this.chatQueue.run(`${adapter.name}:${message.chat.platformId}`, () =>
      this.process(adapter, message),
    );
  }

  private async process(adapter: Adapter, incoming: IncomingMessage): Promise<void> {
    if (!this.handler)
      throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
        message: 'The bot is not initialized: call bot.start() first.',
      });
    const storage = this.storage;
    const { sender } = incoming;
    // Asked at once: with storage that commits in groups, one wait instead of two.
    const [user, chat] = await Promise.all([
      storage.users.resolve(
        { platform: adapter.name, platformId: sender.platformId },
        {
          ...(sender.name ? { name: sender.name } : {}),
          ...(sender.username ? { username: sender.username } : {}),
          ...(sender.locale ? { locale: sender.locale } : {}),
        },
      ),
      storage.chats.resolve(
        { platform: adapter.name, platformId: incoming.chat.platformId },
        {
          type: incoming.chat.type,
          ...(incoming.chat.title ? { title: incoming.chat.title } : {}),
        },
      ),
    ]);
    const message = this.degrader.resolveOption(
      `${adapter.name}:${incoming.chat.platformId}`,
      incoming,
    );
    // Not awaited before the chain runs: the chain's first writes (the usage count) then share
    // its group commit. Reads of the history still see it (storage runs calls in order), and
    // the message is not done until it is stored.
    const recorded = storage.messages.append({
      chatId: chat.id,
      userId: user.id,
      direction: 'in',
      text: message.kind === 'button' ? `[button] ${message.buttonData ?? ''}` : message.text,
      platformMessageId: message.platformMessageId,
    });
    recorded.catch(() => {}); // awaited below, after the chain
    const locale = normalizeLocale(
      user.locale ?? sender.locale,
      guessLocale(message.text) ?? this.config.locale ?? 'en',
    );
    const context = new BotContext(this, adapter, message, user, chat, locale);
    const started = Date.now();
    context.log.debug('message-received', { kind: message.kind, command: message.command?.name });
    try {
      await this.handler(context, async () => {});
    } finally {
      await recorded;
    }
    context.log.debug('message-handled', {
      ms: Date.now() - started,
      replies: context.replies.length,
    });
  }

  /**
   * Sends a message through an adapter, degrading what it cannot show (buttons become
   * numbered options), and records it in the chat's history.
   */
  async deliver(
    adapter: Adapter,
    chat: ChatRef,
    message: OutgoingMessage,
    options: { chatId?: string } = {},
  ): Promise<SentMessage> {
    const outgoing = this.degrader.degrade(
      adapter.capabilities,
      `${adapter.name}:${chat.platformId}`,
      message,
    );
    const sent = await adapter.send(chat, outgoing);
    if (options.chatId && this.storageDriver) {
      await this.storageDriver.messages.append({
        chatId: options.chatId,
        direction: 'out',
        text: outgoing.text,
        ...(sent.platformMessageIds[0] ? { platformMessageId: sent.platformMessageIds[0] } : {}),
        ...(outgoing.artifacts?.length
          ? { meta: { artifacts: outgoing.artifacts.map((artifact) => artifact.name) } }
          : {}),
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
    const run = () =>
      this.skills.callTool(name, args, {
        ...options,
        storage: this.storage,
        log: this.log,
        egress: this.egress,
      });
    const skill = this.skills.getTool(name)?.skill.manifest.name;
    if (!skill) return run();
    const call = { skill, tool: name, ...(options.user ? { userId: options.user.id } : {}) };
    return this.usage.trackToolCall(call, run, (error) =>
      this.log.warn('usage-record-failed', { tool: name, error }),
    );
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
