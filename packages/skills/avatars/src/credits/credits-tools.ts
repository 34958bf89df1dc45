import { randomUUID } from 'node:crypto';
import type { PaymentAnswer, PaymentEvent, ToolContext, ToolReply } from '@botwire/core';
import { studioConfig } from './studio-config';

/** Invoices of this skill carry `avatars:topup:<pack>:<credits>:<user id>`. */
const payloadPrefix = 'avatars:topup:';

function requireUser(context: ToolContext) {
  if (!context.user) throw new Error(context.t('credits.no_user'));
  return context.user;
}

/** `/balance`: the user's credits, what operations cost, the latest entries, and top-up buttons. */
export async function creditsBalance(_input: object, context: ToolContext): Promise<ToolReply> {
  const user = requireUser(context);
  const { prices, packs } = studioConfig(context.config);
  const balance = await context.credits.balance(user.id);
  const history = await context.credits.history(user.id, 5);
  const lines = [
    context.t('credits.balance', { balance }),
    context.t('credits.prices', {
      generation: prices.generation,
      training: prices.training,
      minute: prices.transcriptionPerMinute,
    }),
  ];
  if (history.length) {
    lines.push(context.t('credits.history'));
    for (const entry of history)
      lines.push(
        `${new Date(entry.at).toISOString().slice(0, 16).replace('T', ' ')} · ${entry.amount > 0 ? '+' : ''}${entry.amount} · ${entry.operation}`,
      );
  }
  return {
    text: lines.join('\n'),
    buttons: packs.map((pack, index) => [
      {
        label: context.t('credits.pack', { credits: pack.credits, stars: pack.stars }),
        data: `/topup ${index + 1}`,
      },
    ]),
    data: { balance, history },
  };
}

/** `/topup [pack]`: an invoice in Telegram Stars for one of the packs. */
export async function creditsTopup(
  input: { pack?: number | string },
  context: ToolContext,
): Promise<ToolReply> {
  const user = requireUser(context);
  const { packs } = studioConfig(context.config);
  const index = Number(input.pack ?? 1) - 1;
  const pack = packs[index];
  if (!pack) return { text: context.t('credits.no_pack', { count: packs.length }) };
  return {
    text: context.t('credits.invoice_text', { credits: pack.credits, stars: pack.stars }),
    invoice: {
      title: context.t('credits.invoice_title', { credits: pack.credits }),
      description: context.t('credits.invoice_description', { credits: pack.credits }),
      payload: `${payloadPrefix}${index + 1}:${pack.credits}:${user.id}`,
      currency: 'XTR',
      amount: pack.stars,
    },
    data: { pack: index + 1, ...pack },
  };
}

/** `/grant <user> <amount>`: an admin adds credits to someone's balance. */
export async function creditsGrant(
  input: { user: string; amount?: number | string },
  context: ToolContext,
): Promise<ToolReply> {
  const admin = requireUser(context);
  if (admin.role !== 'admin' && admin.role !== 'owner')
    return { text: context.t('credits.admins_only') };
  // `/grant telegram:123 100` gives both in `user`.
  const [reference = '', typedAmount] = input.user.trim().split(/\s+/);
  const amount = Number(input.amount ?? typedAmount);
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > 1_000_000)
    return { text: context.t('credits.bad_amount') };
  const target = await context.findUser(reference);
  if (!target) return { text: context.t('credits.unknown_user', { user: reference }) };
  const message = context.message;
  // One grant per message, however often it is retried.
  const key = message
    ? `grant:${message.platform}:${message.platformMessageId}`
    : `grant:${randomUUID()}`;
  const balance = await context.credits.grant({
    userId: target.id,
    amount,
    operation: 'admin.grant',
    key,
    by: admin.id,
  });
  context.log.info('credits-granted', { by: admin.id, user: target.id, amount });
  return {
    text: context.t('credits.granted', { amount, user: target.name ?? target.id, balance }),
    data: { user: target.id, amount, balance },
  };
}

/**
 * The payments of `/topup` invoices: a `check` is approved when its pack and price are still
 * what the bot sells and it is for the payer; a `paid` one adds the pack's credits, once per
 * Telegram charge id.
 */
export async function creditsPayment(
  event: PaymentEvent,
  context: ToolContext,
): Promise<PaymentAnswer> {
  const [packNumber = '', credits = '', userId = ''] = event.payload
    .slice(payloadPrefix.length)
    .split(':');
  const pack = studioConfig(context.config).packs[Number(packNumber) - 1];
  const valid =
    event.payload.startsWith(payloadPrefix) &&
    pack !== undefined &&
    pack.credits === Number(credits) &&
    event.currency === 'XTR' &&
    event.amount === pack.stars &&
    userId === context.user?.id;
  if (event.stage === 'check')
    return valid
      ? { approve: true }
      : { approve: false, reason: context.t('credits.stale_invoice') };
  // Paid: the stars arrived. Credit what the payload says even if the packs changed since.
  const paidCredits = Number(credits);
  if (!event.chargeId || !Number.isSafeInteger(paidCredits) || paidCredits <= 0 || !userId)
    throw new Error(`a payment with an unreadable payload: ${event.payload}`);
  const balance = await context.credits.grant({
    userId,
    amount: paidCredits,
    operation: `stars:${event.amount}`,
    key: `stars:${event.chargeId}`,
  });
  context.log.info('credits-bought', { user: userId, credits: paidCredits, stars: event.amount });
  return { reply: context.t('credits.bought', { credits: paidCredits, balance }) };
}
