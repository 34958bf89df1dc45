import type { OutgoingMessage } from '../messages/outgoing-message';
import type { BotContext } from '../runtime/bot-context';
import { fromStoredValue, toStoredValue } from '../state/stored-value';
import type {
  ConversationData,
  ConversationDefinition,
  ConversationState,
  ConversationStep,
} from './conversation-types';

const namespace = 'runtime';
const defaultTimeoutMs = 15 * 60_000;
/** How long an expired conversation is remembered, to tell the user it timed out. */
const expiredGraceMs = 7 * 24 * 60 * 60_000;

function stateKey(context: BotContext): string {
  return `conversation:${context.chatKey}:${context.user.id}`;
}

/** The conversation the sender is in, in this chat, if any (expired ones included). */
export async function readConversation(
  context: BotContext,
): Promise<ConversationState | undefined> {
  const stored = await context.services.storage.kv.get(namespace, stateKey(context));
  return stored === undefined ? undefined : fromStoredValue<ConversationState>(stored);
}

/** Stores where the sender stands, with a fresh deadline for the answer. */
export async function saveConversation(
  context: BotContext,
  state: Omit<ConversationState, 'expiresAt'>,
  definition: ConversationDefinition,
): Promise<void> {
  const timeoutMs = definition.timeoutMs ?? defaultTimeoutMs;
  const stored: ConversationState = { ...state, expiresAt: Date.now() + timeoutMs };
  await context.services.storage.kv.set(namespace, stateKey(context), toStoredValue(stored), {
    ttlMs: timeoutMs + expiredGraceMs,
  });
}

/** Forgets the sender's conversation in this chat; true for exactly one caller (atomic). */
export function leaveConversation(context: BotContext): Promise<boolean> {
  return context.services.storage.kv.delete(namespace, stateKey(context));
}

/** Sends a step's question. */
export async function askStep(
  context: BotContext,
  step: ConversationStep,
  data: ConversationData,
): Promise<void> {
  const question: string | OutgoingMessage =
    typeof step.ask === 'function' ? await step.ask(context, data) : step.ask;
  await context.reply(question);
}

/**
 * The step to ask from `id` on: that step, or the first after it that its `skip` does not
 * leave out; null when no step is left.
 */
export function firstUnanswered(
  definition: ConversationDefinition,
  id: string,
  data: ConversationData,
): string | null {
  let current: string | null = id;
  for (let hops = 0; current !== null && hops <= definition.steps.length; hops++) {
    const step = definition.steps.find((each) => each.id === current);
    if (!step) return current;
    if (step.skip?.(data) !== true) return current;
    if (typeof step.next === 'function') current = step.next(data);
    else if (step.next !== undefined) current = step.next;
    else current = definition.steps[definition.steps.indexOf(step) + 1]?.id ?? null;
  }
  return current;
}

/**
 * Starts (or restarts) a conversation for the sender in this chat and asks its first step
 * (the first its `skip` does not leave out; with none left, it is done at once).
 */
export async function enterConversation(
  context: BotContext,
  definition: ConversationDefinition,
  data: ConversationData = {},
): Promise<void> {
  const firstId = firstUnanswered(definition, definition.steps[0]!.id, data);
  context.log.info('conversation-entered', { conversation: definition.name });
  if (firstId === null) {
    await definition.done(context, data);
    return;
  }
  const first = definition.steps.find((each) => each.id === firstId)!;
  await saveConversation(
    context,
    { name: definition.name, step: first.id, data, attempts: 0 },
    definition,
  );
  await askStep(context, first, data);
}
