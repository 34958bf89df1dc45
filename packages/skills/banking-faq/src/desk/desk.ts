import {
  type BotContext,
  type BotServices,
  hasRole,
  isBotwireError,
  type OutgoingMessage,
  type Role,
  type SentMessage,
} from '@botwire/core';
import { AuditLog } from './audit-log';
import { Directory, deskLocale, type Member } from './directory';

/** Options of {@link bankDesk}; every field has a default. */
export interface BankDeskOptions {
  /**
   * Answer plain questions from the knowledge base (`faq_answer`) in the desk itself, and open a
   * ticket when the answer hands off. Default true.
   */
  answerQuestions?: boolean;
  /** Only registered users (phone number shared) may open tickets. Default true. */
  ticketsNeedRegistration?: boolean;
  /** Minutes a ticket may wait for a moderator before the user is told so. Default 10. */
  ticketTimeoutMinutes?: number;
  /** How many recent messages of the user a moderator gets with a ticket. Default 10. */
  ticketHistory?: number;
  /** Broadcast pace: messages a second in all (Telegram allows 30). Default 25. */
  broadcastPerSecond?: number;
  /** The country of phone numbers written without a country code (ISO 3166 code). Default `RU`. */
  defaultCountry?: string;
}

/** {@link BankDeskOptions} with the defaults filled in. */
export type ResolvedDeskOptions = Required<BankDeskOptions>;

export function resolveDeskOptions(options: BankDeskOptions = {}): ResolvedDeskOptions {
  return {
    answerQuestions: options.answerQuestions ?? true,
    ticketsNeedRegistration: options.ticketsNeedRegistration ?? true,
    ticketTimeoutMinutes: options.ticketTimeoutMinutes ?? 10,
    ticketHistory: options.ticketHistory ?? 10,
    broadcastPerSecond: options.broadcastPerSecond ?? 25,
    defaultCountry: options.defaultCountry ?? 'RU',
  };
}

/** True when `role` is at least `minimum`, in the core's order (owner > admin > moderator > ...). */
export const atLeast: (role: Role | undefined, minimum: Role) => boolean = hasRole;

/** Prefix of the data of every button the desk sends. */
export const buttonPrefix = 'bank:';

/**
 * What every part of the desk shares: the bot's services, the member directory, the audit log
 * and a way to write to a member (which marks them when they blocked the bot).
 */
export class Desk {
  readonly directory: Directory;
  readonly audit: AuditLog;

  constructor(
    readonly services: BotServices,
    readonly options: ResolvedDeskOptions,
    readonly now: () => number = Date.now,
  ) {
    this.directory = new Directory(services.storage.kv, now);
    this.audit = new AuditLog(services.storage.kv, now);
  }

  /** The bot's key-value store (the desk keeps its records in the `bank-desk` namespace). */
  get kv() {
    return this.services.storage.kv;
  }

  /**
   * Sends a message to a member's private chat and records it in that chat's history. When the
   * messenger says they blocked the bot, the member is marked and the error is thrown again.
   */
  async send(member: Member, message: OutgoingMessage): Promise<SentMessage> {
    const adapter = this.services.adapter(member.platform);
    if (!adapter) throw new Error(`The ${member.platform} adapter is not running.`);
    try {
      return await this.services.deliver(adapter, member.chat, message, { chatId: member.chatId });
    } catch (error) {
      if (isBotwireError(error) && error.code === 'BOTWIRE_ADAPTER_RECIPIENT_BLOCKED')
        await this.directory.update(member.userId, { blockedAt: this.now() });
      throw error;
    }
  }

  /**
   * Replaces a message sent earlier (a progress message) where the messenger can; elsewhere
   * sends the new text as a new message. Returns the id of the message that shows it now.
   */
  async edit(member: Member, platformMessageId: string, message: OutgoingMessage): Promise<string> {
    const adapter = this.services.adapter(member.platform);
    if (adapter?.edit) {
      await adapter.edit(member.chat, platformMessageId, message);
      return platformMessageId;
    }
    const sent = await this.send(member, message);
    return sent.platformMessageIds.at(-1) ?? platformMessageId;
  }

  /** The staff who handle tickets: moderators, admins and the owner, with a private chat known. */
  async staff(): Promise<Member[]> {
    const found: Member[] = [];
    for (const role of ['moderator', 'admin', 'owner'] as const) {
      for (const user of await this.services.storage.users.list({ role, limit: 1000 })) {
        const member = await this.directory.get(user.id);
        if (member && !member.blockedAt) found.push(member);
      }
    }
    return found;
  }

  /** The language to write to a member in. */
  localeOf(member: Member | undefined, fallback?: string): 'ru' | 'en' {
    return deskLocale(member?.locale ?? fallback ?? this.services.settings.locale);
  }

  /** Records an action of the message's sender in the audit log. */
  record(
    context: BotContext,
    action: string,
    target?: string,
    details?: Record<string, string | number | boolean>,
  ) {
    return this.audit.record({
      actor: context.user.id,
      role: context.role ?? 'none',
      action,
      ...(target ? { target } : {}),
      ...(details ? { details } : {}),
    });
  }
}
