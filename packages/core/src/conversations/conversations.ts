import { BotwireError } from '../errors/botwire-error';
import type { Middleware } from '../middleware/composer';
import type { BotContext } from '../runtime/bot-context';
import {
  askStep,
  enterConversation,
  firstUnanswered,
  leaveConversation,
  readConversation,
  saveConversation,
} from './conversation-store';
import type {
  AnswerResult,
  ConversationData,
  ConversationDefinition,
  ConversationState,
  ConversationStep,
} from './conversation-types';

/**
 * The bot's conversations: the definitions (code, registered at start) and each chat's state
 * (data, in storage). Its {@link middleware} is a step of the chain: a message from a user in
 * a conversation answers the step they are at.
 */
export class Conversations {
  private readonly definitions = new Map<string, ConversationDefinition<ConversationData>>();
  /** Conversations of skills, imported with the skill's module when first needed. */
  private readonly lazy = new Map<
    string,
    () => Promise<ConversationDefinition<ConversationData> | undefined>
  >();

  /** True when a conversation of this name is registered. */
  has(name: string): boolean {
    return this.definitions.has(name) || this.lazy.has(name);
  }

  /**
   * Adds a conversation a skill's module exports, loaded when a chat first needs it (a command
   * starts it, or a user answers one of its steps). Registering the same name again replaces
   * the loader (a bot started again).
   */
  registerLazy(
    name: string,
    load: () => Promise<ConversationDefinition<ConversationData> | undefined>,
  ): void {
    if (this.definitions.has(name))
      throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
        message: `A conversation named "${name}" is registered twice (in the config and by a skill).`,
      });
    this.lazy.set(name, load);
  }

  /** The definition of a conversation, loading a skill's when needed; undefined when unknown. */
  async definition(name: string): Promise<ConversationDefinition<ConversationData> | undefined> {
    const known = this.definitions.get(name);
    if (known) return known;
    const load = this.lazy.get(name);
    if (!load) return undefined;
    const loaded = await load();
    if (!loaded) return undefined;
    this.register(loaded);
    this.lazy.delete(name);
    return loaded;
  }

  /** Starts a conversation by name for the message's sender, with `data` to begin with. */
  async enter(context: BotContext, name: string, data: ConversationData = {}): Promise<void> {
    const definition = await this.definition(name);
    if (!definition)
      throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
        message: `There is no conversation named "${name}".`,
      });
    await enterConversation(context, definition, data);
  }

  /**
   * True when the sender's next message in this chat answers a step marked `secret` (a
   * password, a token): the history keeps it hidden. Reads storage only when some
   * conversation may have such a step.
   */
  async expectsSecret(context: BotContext): Promise<boolean> {
    const mayHave =
      this.lazy.size > 0 ||
      [...this.definitions.values()].some((definition) =>
        definition.steps.some((step) => step.secret),
      );
    if (!mayHave) return false;
    const state = await readConversation(context);
    if (!state || state.expiresAt < Date.now()) return false;
    const definition = await this.definition(state.name);
    return definition?.steps.find((step) => step.id === state.step)?.secret === true;
  }

  /** Adds a conversation definition; names must be unique. */
  register<D extends ConversationData>(definition: ConversationDefinition<D>): void {
    if (this.definitions.has(definition.name))
      throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
        message: `A conversation named "${definition.name}" is registered twice.`,
      });
    if (definition.steps.length === 0)
      throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
        message: `The conversation "${definition.name}" has no steps.`,
      });
    const ids = new Set<string>();
    for (const step of definition.steps) {
      if (ids.has(step.id))
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `The conversation "${definition.name}" has two steps with the id "${step.id}".`,
        });
      ids.add(step.id);
    }
    this.definitions.set(definition.name, definition as ConversationDefinition<ConversationData>);
  }

  /** The chain step: answers to the current step, `/cancel`, and timed-out conversations. */
  middleware(): Middleware<BotContext> {
    return async (context, next) => {
      const command = context.command?.name;
      // A bot with no conversations has no state to look up.
      if (this.definitions.size === 0 && this.lazy.size === 0 && command !== 'cancel')
        return next();
      const state = await readConversation(context);
      if (!state) {
        if (command === 'cancel') {
          await context.reply(context.t('conversation.nothing_to_cancel'));
          return;
        }
        return next();
      }
      const definition = await this.definition(state.name);
      const step = definition?.steps.find((each) => each.id === state.step);
      if (!definition || !step) {
        // The bot no longer has this conversation (or step): forget it, go on as usual.
        context.log.warn('conversation-unknown', { conversation: state.name, step: state.step });
        await leaveConversation(context);
        return next();
      }
      if (command === 'cancel') {
        if (await leaveConversation(context)) {
          await definition.cancelled?.(context, state.data);
          await context.reply(context.t('conversation.cancelled'));
        }
        return;
      }
      if (state.expiresAt < Date.now()) {
        await leaveConversation(context);
        await context.reply(context.t('conversation.expired'));
        return next();
      }
      // Other commands (/help, ...) work in the middle of a conversation.
      if (command) return next();
      await this.answer(context, definition, step, state);
    };
  }

  private async answer(
    context: BotContext,
    definition: ConversationDefinition<ConversationData>,
    step: ConversationStep<ConversationData>,
    state: ConversationState,
  ): Promise<void> {
    const { message } = context;
    const answer = {
      text: message.text,
      ...(message.buttonData !== undefined ? { buttonData: message.buttonData } : {}),
      attachments: message.attachments,
      message,
    };
    const result: AnswerResult = step.answer
      ? await step.answer(answer, state.data, context)
      : message.text.trim()
        ? { value: message.text.trim() }
        : { error: '' };
    if ('error' in result) {
      const attempts = state.attempts + 1;
      if (attempts >= (definition.maxAttempts ?? 3)) {
        await leaveConversation(context);
        await context.reply(context.t('conversation.too_many_attempts'));
        return;
      }
      await saveConversation(context, { ...state, attempts }, definition);
      if (result.error)
        await context.reply(context.t('conversation.invalid', { hint: result.error }));
      await askStep(context, step, state.data);
      return;
    }
    // A secret answer is kept encrypted until the conversation is done, never in its state.
    const value = step.secret
      ? await context.services.keepSecret?.(
          context.user.id,
          `${definition.name}.${step.id}`,
          result.value,
        )
      : result.value;
    const data = { ...state.data, ...(result.data ?? {}), [step.id]: value ?? result.value };
    const chosen =
      'next' in result && result.next !== undefined
        ? result.next
        : nextStepId(definition, step, data);
    const nextId = chosen === null ? null : firstUnanswered(definition, chosen, data);
    if (nextId === null) {
      // Deleting is atomic: `done` runs once even if the last answer reaches two processes.
      if (await leaveConversation(context))
        await definition.done(context, await revealSecrets(context, definition, data));
      return;
    }
    const following = definition.steps.find((each) => each.id === nextId);
    if (!following)
      throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
        message: `The conversation "${definition.name}" goes to a step "${nextId}" it does not have.`,
      });
    await saveConversation(
      context,
      { name: definition.name, step: following.id, data, attempts: 0 },
      definition,
    );
    await askStep(context, following, data);
  }
}

function nextStepId(
  definition: ConversationDefinition<ConversationData>,
  step: ConversationStep<ConversationData>,
  data: ConversationData,
): string | null {
  if (typeof step.next === 'function') return step.next(data);
  if (step.next !== undefined) return step.next;
  const index = definition.steps.indexOf(step);
  return definition.steps[index + 1]?.id ?? null;
}

/** The data with each secret answer read back (and deleted from the secret store). */
async function revealSecrets(
  context: BotContext,
  definition: ConversationDefinition<ConversationData>,
  data: ConversationData,
): Promise<ConversationData> {
  const revealed = { ...data };
  for (const step of definition.steps) {
    if (!step.secret || revealed[step.id] === undefined) continue;
    const value = await context.services.takeSecret?.(context.user.id, revealed[step.id]);
    if (value !== undefined) revealed[step.id] = value;
  }
  return revealed;
}
