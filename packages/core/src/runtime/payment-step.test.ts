import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger';
import { defineSkill } from '../skills/define-skill';
import { testAdapter } from '../testing/test-adapter';
import { createBot } from './bot';

/** A shop skill whose payment hook approves `shop:ok:*` checks and thanks for paid ones. */
const shopSkill = {
  use: {
    manifest: {
      name: 'shop',
      version: '1.0.0',
      description: 'Sells.',
      tools: [
        {
          name: 'shop_list',
          description: 'Lists.',
          input_schema: { type: 'object', properties: {} },
          permissions: [],
          side_effects: false,
          timeout_ms: 5000,
        },
      ],
    },
    definition: defineSkill({
      tools: { shop_list: async () => 'nothing' },
      payment: (event, context) =>
        event.stage === 'check'
          ? { approve: event.payload.startsWith('shop:ok:'), reason: 'sold out' }
          : { reply: `thanks for ${event.amount} stars, ${context.user?.name ?? 'someone'}` },
    }),
  },
  permissions: [],
};

async function shop() {
  const chat = testAdapter({ payments: true });
  const bot = createBot({
    config: { storage: 'memory', access: 'open', http: false, skills: [shopSkill] },
    adapters: [chat.adapter],
    log: silentLogger,
    env: {},
  });
  await bot.start();
  return { chat, bot };
}

const payment = (stage: 'check' | 'paid', payload: string) => ({
  stage,
  payload,
  currency: 'XTR',
  amount: 5,
  ...(stage === 'paid' ? { chargeId: 'c-1' } : {}),
});

describe('the payments step', () => {
  it('asks the skill the invoice belongs to, and sends its reply after a payment', async () => {
    const { chat, bot } = await shop();
    const from = { userId: 'u1', name: 'Ann' };
    expect((await chat.pay(payment('check', 'shop:ok:1'), from)).answer).toEqual({ approve: true });
    expect((await chat.pay(payment('check', 'shop:gone:1'), from)).answer).toEqual({
      approve: false,
      reason: 'sold out',
    });
    const paid = await chat.pay(payment('paid', 'shop:ok:1'), from);
    expect(paid.replies.map((reply) => reply.text)).toEqual(['thanks for 5 stars, Ann']);
    await bot.stop();
  });

  it('declines a check no skill takes, and tells the payer when a payment found no skill', async () => {
    const { chat, bot } = await shop();
    const check = await chat.pay(payment('check', 'elsewhere:1'));
    expect(check.answer?.approve).toBe(false);
    expect(check.answer?.reason).toMatch(/cannot be taken now/);
    const paid = await chat.pay(payment('paid', 'elsewhere:1'));
    expect(paid.replies[0]?.text).toMatch(/could not be credited automatically/);
    await bot.stop();
  });
});
