import { readFileSync } from 'node:fs';
import { telegramAdapter } from '@botwire/adapter-telegram';
import { type BotApiPeer, startBotApiPeer } from '@botwire/adapter-telegram/testing';
import { type Bot, CreditLedger, createBot, type SkillManifest, silentLogger } from '@botwire/core';
import { waitUntil } from '@botwire/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import skill from '../index';

/**
 * Credits on Telegram (the local Bot API peer): `/balance` with top-up buttons, `/topup` sends
 * an invoice in Stars, the pre-checkout is approved only for a current pack of the payer, and
 * a successful payment adds the pack's credits once per Telegram charge id. Admins grant.
 */
const manifest = JSON.parse(
  readFileSync(new URL('../../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;
const token = '42:PEER-token';
const ann = { id: 801, is_bot: false, first_name: 'Ann', language_code: 'en' };
const boss = { id: 802, is_bot: false, first_name: 'Boss', language_code: 'en' };
const chatOf = (user: { id: number; first_name: string }) => ({
  id: user.id,
  type: 'private' as const,
  first_name: user.first_name,
});

describe('credits on Telegram', () => {
  let peer: BotApiPeer;
  let bot: Bot;
  let messageId = 100;

  afterEach(async () => {
    await bot?.stop();
    await peer?.stop();
  });

  const start = async () => {
    peer = await startBotApiPeer(token);
    bot = createBot({
      config: {
        storage: 'memory',
        access: 'open',
        http: false,
        skills: [
          {
            use: { manifest, definition: skill },
            permissions: ['credits', 'storage'],
            config: { packs: [{ credits: 100, stars: 50 }] },
          },
        ],
      },
      adapters: [
        telegramAdapter({
          token,
          apiRoot: peer.apiRoot,
          pollDelayMs: 10,
          pollTimeoutSeconds: 1,
          commandMenu: false,
          env: {},
        }),
      ],
      log: silentLogger,
      env: {},
    });
    await bot.start();
  };

  const send = (from: typeof ann, text: string) => {
    const command = /^\/\w+/.exec(text)?.[0];
    peer.pushUpdate({
      message: {
        message_id: ++messageId,
        date: Math.floor(Date.now() / 1000),
        chat: chatOf(from),
        from,
        text,
        ...(command
          ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] }
          : {}),
      },
    } as never);
  };
  const textsTo = (user: typeof ann) =>
    peer
      .callsOf('sendMessage')
      .filter((call) => Number(call.params.chat_id) === user.id)
      .map((call) => String(call.params.text));
  const userId = async (user: typeof ann) =>
    (await bot.storage.users.findByIdentity({ platform: 'telegram', platformId: String(user.id) }))!
      .id;
  const paid = (chargeId: string, payload: string, amount = 50) =>
    peer.pushUpdate({
      message: {
        message_id: ++messageId,
        date: Math.floor(Date.now() / 1000),
        chat: chatOf(ann),
        from: ann,
        successful_payment: {
          currency: 'XTR',
          total_amount: amount,
          invoice_payload: payload,
          telegram_payment_charge_id: chargeId,
          provider_payment_charge_id: '',
        },
      },
    } as never);

  it('sells credits for Stars: invoice, pre-checkout, payment, once per charge', {
    timeout: 30_000,
  }, async () => {
    await start();
    send(ann, '/balance');
    await waitUntil(() => textsTo(ann).length === 1, 'the balance');
    expect(textsTo(ann)[0]).toMatch(/Your balance: 0 credits/);
    const markup = peer.callsOf('sendMessage')[0]!.params.reply_markup;
    const keyboard = (typeof markup === 'string' ? JSON.parse(markup) : markup) as {
      inline_keyboard: Array<Array<{ text: string; callback_data: string }>>;
    };
    expect(keyboard.inline_keyboard[0]![0]).toMatchObject({
      text: '+100 credits for 50 ⭐',
      callback_data: '/topup 1',
    });

    send(ann, '/topup 1');
    await waitUntil(() => peer.callsOf('sendInvoice').length === 1, 'the invoice');
    const invoice = peer.callsOf('sendInvoice')[0]!.params;
    const annId = await userId(ann);
    expect(invoice).toMatchObject({
      chat_id: ann.id,
      currency: 'XTR',
      payload: `avatars:topup:1:100:${annId}`,
    });
    const payload = String(invoice.payload);

    const check = (id: string, checkPayload: string, amount: number) =>
      peer.pushUpdate({
        pre_checkout_query: {
          id,
          from: ann,
          currency: 'XTR',
          total_amount: amount,
          invoice_payload: checkPayload,
        },
      } as never);
    check('q-1', payload, 50);
    await waitUntil(
      () => peer.callsOf('answerPreCheckoutQuery').length === 1,
      'the pre-checkout answer',
    );
    expect(peer.callsOf('answerPreCheckoutQuery')[0]!.params).toMatchObject({
      pre_checkout_query_id: 'q-1',
      ok: true,
    });
    // The same invoice at another price, or someone else's invoice: declined.
    check('q-2', payload, 10);
    check('q-3', `avatars:topup:1:100:usr_someone_else`, 50);
    await waitUntil(() => peer.callsOf('answerPreCheckoutQuery').length === 3, 'two more answers');
    for (const answer of peer.callsOf('answerPreCheckoutQuery').slice(1)) {
      expect(answer.params.ok).toBe(false);
      expect(String(answer.params.error_message)).toMatch(/out of date/);
    }

    paid('charge-1', payload);
    await waitUntil(
      () => textsTo(ann).some((text) => /100 credits added/.test(text)),
      'the thanks',
    );
    // Telegram delivers the same payment again: counted once.
    paid('charge-1', payload);
    send(ann, '/balance');
    await waitUntil(
      () => textsTo(ann).filter((text) => /Your balance/.test(text)).length === 2,
      'the new balance',
    );
    expect(textsTo(ann).filter((text) => /credits added/.test(text))).toHaveLength(2);
    expect(textsTo(ann).at(-1)).toMatch(/Your balance: 100 credits/);
    expect(await new CreditLedger(bot.storage.kv).balance(annId)).toBe(100);
  });

  it('lets admins grant credits, and nobody else', { timeout: 30_000 }, async () => {
    await start();
    send(ann, '/balance');
    send(boss, '/balance');
    await waitUntil(() => textsTo(ann).length === 1 && textsTo(boss).length === 1, 'both balances');
    const annId = await userId(ann);
    send(ann, `/grant ${annId} 1000`);
    await waitUntil(() => textsTo(ann).length === 2, 'the refusal');
    expect(textsTo(ann)[1]).toMatch(/Only admins/);
    await bot.storage.users.update(await userId(boss), { role: 'admin' });
    send(boss, `/grant telegram:${ann.id} 30`);
    await waitUntil(() => textsTo(boss).length === 2, 'the grant');
    expect(textsTo(boss)[1]).toMatch(/Added 30 credits to Ann: their balance is 30/);
    send(boss, '/grant telegram:999999 30');
    await waitUntil(() => textsTo(boss).length === 3, 'the unknown user');
    expect(textsTo(boss)[2]).toMatch(/No user "telegram:999999"/);
    send(boss, `/grant telegram:${ann.id} lots`);
    await waitUntil(() => textsTo(boss).length === 4, 'the bad amount');
    expect(textsTo(boss)[3]).toMatch(/whole number of credits/);
    expect(await new CreditLedger(bot.storage.kv).balance(annId)).toBe(30);
  });
});
