import {
  type BotContext,
  type BotExtension,
  type BotServices,
  insertStep,
  type Middleware,
} from '@botwire/core';
import { AdminPanel } from './admin/admin-panel';
import { BroadcastDesk } from './broadcast/broadcast-desk';
import { type BankDeskOptions, buttonPrefix, Desk, resolveDeskOptions } from './desk';
import { answerQuestion } from './faq-reply';
import { Registration } from './registration/registration';
import { TicketDesk } from './tickets/ticket-desk';

/** The parts of a running desk. */
export interface DeskParts {
  desk: Desk;
  registration: Registration;
  tickets: TicketDesk;
  broadcasts: BroadcastDesk;
  admin: AdminPanel;
}

/** What {@link bankDesk} returns: the extension, and its parts once the bot runs (for tests). */
export interface BankDeskExtension extends BotExtension {
  parts(): DeskParts | undefined;
}

/** The desk's commands, for messenger command menus. */
const deskCommands = [
  {
    name: 'start',
    description: {
      en: 'start and register with your phone number',
      ru: 'начать и зарегистрироваться по номеру телефона',
    },
  },
  { name: 'help', description: { en: 'talk to a moderator', ru: 'позвать модератора' } },
  {
    name: 'end',
    description: { en: 'end the chat with a moderator', ru: 'завершить чат с модератором' },
  },
  {
    name: 'unsubscribe',
    description: { en: 'stop getting broadcasts', ru: 'не получать рассылки' },
  },
  { name: 'subscribe', description: { en: 'get broadcasts again', ru: 'снова получать рассылки' } },
  {
    name: 'broadcast',
    description: {
      en: 'send a message to customers (moderators)',
      ru: 'рассылка клиентам (модераторы)',
    },
  },
  {
    name: 'admin',
    description: { en: 'the admin panel (admins)', ru: 'панель администратора (администраторы)' },
  },
];

/** Core commands an admin runs on roles: the desk writes them to the audit log too. */
const auditedCoreCommands = new Set(['role', 'admit', 'revoke']);

/**
 * The bank's front desk, as a bot extension: registration with the phone number (`/start`),
 * answers from the knowledge base, moderator hand-off (`/help`, `/end`, tickets with a Take
 * button, the relay both ways, a reply when nobody takes a ticket in time), broadcast
 * (`/broadcast`, resumable after a restart), opt-out (`/unsubscribe`, `/subscribe`), the admin
 * panel (`/admin`) and the audit log of every staff action.
 *
 * @example
 * import { bankDesk } from '@botwire/skill-banking-faq/desk';
 * export default defineConfig({ access: 'open', skills: [...], extensions: [bankDesk({ ticketTimeoutMinutes: 5 })] });
 */
export function bankDesk(options: BankDeskOptions = {}): BankDeskExtension {
  const resolved = resolveDeskOptions(options);
  let parts: DeskParts | undefined;
  const partsFor = (services: BotServices): DeskParts => {
    if (parts) return parts;
    const desk = new Desk(services, resolved);
    const tickets = new TicketDesk(desk);
    const broadcasts = new BroadcastDesk(desk);
    const registration = new Registration(desk);
    parts = {
      desk,
      registration,
      tickets,
      broadcasts,
      admin: new AdminPanel(desk, { tickets, broadcasts, registration }),
    };
    return parts;
  };
  const middleware: Middleware<BotContext> = (context, next) =>
    handle(partsFor(context.services), context, next);
  return {
    name: 'bank-desk',
    commands: deskCommands,
    chain: (steps) =>
      insertStep(steps, { before: 'builtin-commands' }, { name: 'bank-desk', middleware }),
    start: async (services) => {
      const started = partsFor(services);
      started.tickets.start();
      await started.broadcasts.start();
    },
    stop: async () => {
      parts?.tickets.stop();
      await parts?.broadcasts.stop();
    },
    parts: () => parts,
  };
}

async function handle(parts: DeskParts, context: BotContext, next: () => Promise<void>) {
  const { message } = context;
  // Scheduled work and group chats are not the desk's business.
  if (message.job || message.chat.type !== 'private') return next();
  await parts.desk.directory.touch(context);
  if (message.kind === 'button') {
    const data = message.buttonData ?? '';
    if (!data.startsWith(buttonPrefix)) return next();
    const area = data.slice(buttonPrefix.length).split(':')[0];
    if (area === 'ticket') return parts.tickets.press(context, data);
    if (area === 'broadcast') return parts.broadcasts.press(context, data);
    if (area === 'admin') return parts.admin.press(context, data);
    return next();
  }
  if (message.attachments.some((attachment) => attachment.kind === 'contact'))
    return parts.registration.contact(context);
  const command = context.command?.name;
  switch (command) {
    case 'start':
      return parts.registration.start(context);
    case 'help':
      return parts.tickets.open(context, {
        origin: 'command',
        ...(context.command?.argument ? { question: context.command.argument } : {}),
      });
    case 'end':
      return parts.tickets.end(context);
    case 'broadcast':
      return parts.broadcasts.command(context);
    case 'admin':
      return parts.admin.show(context);
    case 'unsubscribe':
    case 'stop':
      return parts.broadcasts.optOut(context, true);
    case 'subscribe':
      return parts.broadcasts.optOut(context, false);
  }
  if (command && auditedCoreCommands.has(command) && context.role) {
    const [target = ''] = context.command?.argument.split(/\s+/) ?? [];
    await parts.desk.record(context, `core.${command}`, target || undefined, {
      argument: context.command?.argument.slice(0, 80) ?? '',
    });
    return next();
  }
  if (await parts.tickets.relay(context)) return;
  if (await parts.broadcasts.compose(context)) return;
  if (!command && parts.desk.options.answerQuestions && context.text.trim())
    return answerQuestion(parts, context);
  return next();
}
