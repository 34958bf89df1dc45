import { describe, expect, it } from 'vitest';
import { newId } from './ids';

describe('newId', () => {
  it('makes prefixed ids that are unique and sort in creation order', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('usr'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^usr_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('starts with the time, so ids made later sort later', async () => {
    const first = newId('cht');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = newId('cht');
    expect(second.slice(4, 14) > first.slice(4, 14)).toBe(true);
  });
});
