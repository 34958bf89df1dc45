import { describe, expect, it } from 'vitest';
import { SendThrottle, throttleTransformer } from './send-throttle';

describe('SendThrottle', () => {
  it('lets a private chat burst 3 messages, then 1 a second', () => {
    let now = 0;
    const throttle = new SendThrottle({ now: () => now });
    expect([1, 2, 3].map(() => throttle.reserve(42))).toEqual([0, 0, 0]);
    expect(throttle.reserve(42)).toBe(1000);
    expect(throttle.reserve(42)).toBe(2000);
    now = 5000;
    expect(throttle.reserve(42)).toBe(0);
  });

  it('limits a group to 20 messages a minute', () => {
    const throttle = new SendThrottle({ now: () => 0 });
    for (let index = 0; index < 3; index++) expect(throttle.reserve(-100123)).toBe(0);
    expect(throttle.reserve(-100123)).toBe(3000);
    // Another chat is not slowed down by it.
    expect(throttle.reserve(7)).toBe(0);
  });

  it('limits all chats together to 30 messages a second', () => {
    const throttle = new SendThrottle({ now: () => 0 });
    const waits = Array.from({ length: 32 }, (_, index) => throttle.reserve(index + 1));
    expect(waits.slice(0, 30).every((wait) => wait === 0)).toBe(true);
    expect(waits[30]).toBeCloseTo(1000 / 30, 5);
    expect(waits[31]).toBeCloseTo(2000 / 30, 5);
  });
});

describe('throttleTransformer', () => {
  it('delays sends into one chat and lets other methods through at once', async () => {
    const calls: Array<{ method: string; at: number }> = [];
    const start = Date.now();
    const transformer = throttleTransformer({ privatePerSecond: 20, burst: 1 });
    const previous = (async (method: string) => {
      calls.push({ method, at: Date.now() - start });
      return { ok: true, result: true };
    }) as unknown as Parameters<typeof transformer>[0];
    const send = (method: string) =>
      transformer(previous, method as 'sendMessage', { chat_id: 5, text: 'x' } as never);
    await Promise.all([
      send('sendMessage'),
      send('sendMessage'),
      send('sendChatAction'),
      send('sendMessage'),
    ]);
    const sends = calls.filter((call) => call.method === 'sendMessage').map((call) => call.at);
    const action = calls.find((call) => call.method === 'sendChatAction')!;
    expect(action.at).toBeLessThan(30);
    expect(sends[1]! - sends[0]!).toBeGreaterThanOrEqual(40);
    expect(sends[2]! - sends[1]!).toBeGreaterThanOrEqual(40);
  });
});
