import type { BotContext, SecretStore } from '@botwire/core';
import type { Desk } from '../desk';
import { text } from '../desk-text';
import { deskLocale } from '../directory';
import { maskPhone, normalizePhone } from './phone-number';
import { registrationStrings as strings } from './registration-strings';

/** Where the phone numbers are kept in the bot's encrypted store: one per user. */
const phoneScope = (userId: string) => ({ skill: 'banking-faq', user: userId });
const phoneName = 'phone';

/**
 * Registration with the phone number: `/start` greets and asks for the number with the
 * messenger's share-contact button; only the sender's own contact is taken (a forwarded contact
 * of someone else is refused); the number is normalized to E.164 and kept encrypted with the
 * bot's key ring, never in plain text on disk. Unregistered users can still ask questions.
 */
export class Registration {
  constructor(readonly desk: Desk) {}

  /** `/start`: the greeting, and the request for the number when the user has not registered. */
  async start(context: BotContext): Promise<void> {
    const locale = deskLocale(context.locale);
    const button = text(strings, locale, 'button');
    await context.reply(
      `${text(strings, locale, 'welcome', { bank: this.desk.services.settings.name })}\n${text(strings, locale, 'commands')}`,
    );
    const phone = await this.phoneOf(context.user.id);
    if (phone) {
      await context.reply(text(strings, locale, 'already', { phone: maskPhone(phone) }));
      return;
    }
    if (!context.adapter.capabilities.contactRequest) {
      await context.reply(text(strings, locale, 'noButton'));
      return;
    }
    await context.reply({
      text: text(strings, locale, 'ask', { button }),
      requestContact: { label: button },
    });
  }

  /** A shared contact: registers the sender when it is their own, valid number. */
  async contact(context: BotContext): Promise<void> {
    const locale = deskLocale(context.locale);
    const button = text(strings, locale, 'button');
    const ask = (key: 'notOwn' | 'invalid' | 'again') =>
      context.reply({
        text: text(strings, locale, key, { button }),
        ...(context.adapter.capabilities.contactRequest
          ? { requestContact: { label: button } }
          : {}),
      });
    const contact = context.message.attachments.find((attachment) => attachment.kind === 'contact');
    const data = contact?.data ?? {};
    // Telegram names the contact's own account: only a contact of the sender is theirs.
    if (String(data.userId ?? '') !== context.message.sender.platformId) {
      await ask('notOwn');
      return;
    }
    const raw = typeof data.phone === 'string' ? data.phone : '';
    // A replay after a crash comes without the number (it is never stored in plain text).
    if (!raw) {
      await ask('again');
      return;
    }
    const phone = normalizePhone(raw, this.desk.options.defaultCountry);
    if (!phone.ok) {
      await ask('invalid');
      return;
    }
    const secrets = this.secrets();
    if (!secrets) {
      context.log.error('bank-registration-no-secret-store', {});
      await context.reply(text(strings, locale, 'failed'));
      return;
    }
    await secrets.set(phoneScope(context.user.id), phoneName, phone.e164);
    await this.desk.directory.update(context.user.id, {
      registeredAt: this.desk.now(),
      ...(phone.country ? { phoneCountry: phone.country } : {}),
    });
    context.log.info('bank-user-registered', { user: context.user.id });
    await context.reply(text(strings, locale, 'registered', { phone: maskPhone(phone.e164) }));
  }

  /** True when the user shared their phone number. */
  async isRegistered(userId: string): Promise<boolean> {
    return (await this.desk.directory.get(userId))?.registeredAt !== undefined;
  }

  /** The user's number in E.164, decrypted; undefined when they have not registered. */
  async phoneOf(userId: string): Promise<string | undefined> {
    if (!(await this.isRegistered(userId))) return undefined;
    return this.secrets()?.get(phoneScope(userId), phoneName);
  }

  private secrets(): SecretStore | undefined {
    return this.desk.services.secrets?.();
  }
}
