import { randomUUID } from 'node:crypto';
import type { StepOutcome } from './executor';
import type { Plan } from './plan';
import type { ConversationInput } from './planner-prompts';

/** A step waiting for the user's yes or no. */
export interface PendingConfirmation {
  id: string;
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

/** Confirmations waiting per chat, kept in memory for a few minutes. */
export class ConfirmationStore {
  private readonly pending = new Map<string, PendingConfirmation>();

  constructor(private readonly ttlMs = 10 * 60_000) {}

  /** Remembers a step waiting in this chat (replacing any older one) and returns its entry. */
  add(chatKey: string, entry: Omit<PendingConfirmation, 'id' | 'expiresAt'>): PendingConfirmation {
    const full = { ...entry, id: randomUUID().slice(0, 8), expiresAt: Date.now() + this.ttlMs };
    this.pending.set(chatKey, full);
    return full;
  }

  /** The step waiting in this chat, if it has not expired. */
  get(chatKey: string): PendingConfirmation | undefined {
    const entry = this.pending.get(chatKey);
    if (entry && entry.expiresAt < Date.now()) {
      this.pending.delete(chatKey);
      return undefined;
    }
    return entry;
  }

  delete(chatKey: string): void {
    this.pending.delete(chatKey);
  }
}
