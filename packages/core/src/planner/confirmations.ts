import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from '../ports/storage';
import { fromStoredValue, toStoredValue } from '../state/stored-value';
import type { StepOutcome } from './executor';
import type { Plan } from './plan';
import type { ConversationInput } from './planner-prompts';

/** A step waiting for the user's yes or no. */
export interface PendingConfirmation {
  id: string;
  /** The user who was asked; in a group only their answer counts. */
  userId: string;
  /** The plan it belongs to (plan mode), or undefined for a single tool call (step-by-step mode). */
  plan?: Plan;
  step: StepOutcome;
  /** Outcomes of the steps that already ran. */
  previous: StepOutcome[];
  /** Steps the user already said yes to. */
  confirmed: Set<string>;
  conversation: ConversationInput;
  expiresAt: number;
}

const yes = /^\s*(yes|y|ok|okay|sure|go|да|д|ок|хорошо|давай|конечно)\s*[.!]?\s*$/iu;
const no = /^\s*(no|n|cancel|stop|нет|н|отмена|отменить|не надо)\s*[.!]?\s*$/iu;

/** Reads a reply to a confirmation prompt: a button or a yes/no word in English or Russian. */
export function readConfirmation(
  kind: 'message' | 'button',
  text: string,
  buttonData: string | undefined,
  id: string,
): 'yes' | 'no' | undefined {
  if (kind === 'button') {
    if (buttonData === `botwire:confirm:${id}`) return 'yes';
    if (buttonData === `botwire:decline:${id}`) return 'no';
    return undefined;
  }
  if (yes.test(text)) return 'yes';
  if (no.test(text)) return 'no';
  return undefined;
}

/** True when a message could answer some confirmation (a yes/no word or a confirmation button). */
export function mayAnswerConfirmation(
  kind: 'message' | 'button',
  text: string,
  buttonData: string | undefined,
): boolean {
  if (kind === 'button') return /^botwire:(confirm|decline):/.test(buttonData ?? '');
  return yes.test(text) || no.test(text);
}

const namespace = 'runtime';

/**
 * Confirmations waiting per chat and user, kept in storage for a few minutes, so a "yes" after
 * a restart, or handled by another process sharing the storage, resumes the plan.
 */
export class ConfirmationStore {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  /** Remembers a step waiting for this user in this chat (replacing an older one). */
  async add(
    chatKey: string,
    entry: Omit<PendingConfirmation, 'id' | 'expiresAt'>,
  ): Promise<PendingConfirmation> {
    const full = { ...entry, id: randomUUID().slice(0, 8), expiresAt: Date.now() + this.ttlMs };
    await this.kv.set(namespace, key(chatKey, entry.userId), toStoredValue(full), {
      ttlMs: this.ttlMs,
    });
    return full;
  }

  /** The step waiting for this user in this chat, if it has not expired. */
  async get(chatKey: string, userId: string): Promise<PendingConfirmation | undefined> {
    const stored = await this.kv.get(namespace, key(chatKey, userId));
    if (stored === undefined) return undefined;
    const entry = fromStoredValue<PendingConfirmation>(stored);
    return entry.expiresAt < Date.now() ? undefined : entry;
  }

  /** Forgets the step; true for exactly one caller, also across processes (so it runs once). */
  take(chatKey: string, userId: string): Promise<boolean> {
    return this.kv.delete(namespace, key(chatKey, userId));
  }
}

function key(chatKey: string, userId: string): string {
  return `confirm:${chatKey}:${userId}`;
}
