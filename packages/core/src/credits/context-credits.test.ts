import { describe, expect, it } from 'vitest';
import { isBotwireError } from '../errors/botwire-error';
import { defineSkill, type ToolContext } from '../skills/define-skill';
import type { Permission } from '../skills/skill-manifest';
import { loadSkills } from '../skills/skill-registry';
import { memoryStorage } from '../storage/drivers/memory';
import { CreditLedger } from './credit-ledger';

/** An inline skill whose tool `pay` charges the user 3 credits under the given key. */
function paySkill(declared: Permission[]) {
  return {
    use: {
      manifest: {
        name: 'shop',
        version: '1.0.0',
        description: 'Sells pictures.',
        tools: [
          {
            name: 'pay',
            description: 'Charges 3 credits.',
            input_schema: {
              type: 'object',
              properties: { key: { type: 'string' } },
              required: ['key'],
            },
            permissions: declared,
            side_effects: true,
            timeout_ms: 5000,
          },
        ],
      },
      definition: defineSkill({
        tools: {
          pay: ({ key }: { key: string }, context: ToolContext) =>
            context.credits.charge({
              userId: context.user!.id,
              amount: 3,
              operation: 'shop.pay',
              key,
            }),
        },
      }),
    },
    permissions: declared,
  };
}

describe('context.credits', () => {
  it('charges the user through the tool once per key, with the credits permission', async () => {
    const storage = memoryStorage();
    await storage.open();
    const user = await storage.users.resolve({ platform: 'test', platformId: '1' });
    await new CreditLedger(storage.kv).grant({
      userId: user.id,
      amount: 5,
      operation: 'admin',
      key: 'g',
    });
    const registry = await loadSkills([paySkill(['credits'])], { baseDir: '.' });
    const first = await registry.callTool('pay', { key: 'order-1' }, { storage, user });
    const again = await registry.callTool('pay', { key: 'order-1' }, { storage, user });
    const second = await registry.callTool('pay', { key: 'order-2' }, { storage, user });
    expect([first, again, second]).toEqual([
      { charged: true, balance: 2, repeated: false },
      { charged: true, balance: 2, repeated: true },
      { charged: false, balance: 2, reason: 'insufficient' },
    ]);
    await storage.close();
  });

  it('is refused without the credits permission', async () => {
    const storage = memoryStorage();
    await storage.open();
    const user = await storage.users.resolve({ platform: 'test', platformId: '1' });
    const registry = await loadSkills([paySkill(['storage'])], { baseDir: '.' });
    const error = await registry
      .callTool('pay', { key: 'order-1' }, { storage, user })
      .catch((caught: unknown) => caught);
    expect(isBotwireError(error) && error.code).toBe('BOTWIRE_CAPABILITY_NOT_DECLARED');
    await storage.close();
  });
});
