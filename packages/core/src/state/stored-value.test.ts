import { describe, expect, it } from 'vitest';
import { BotwireError } from '../errors/botwire-error';
import { fromStoredValue, toStoredValue } from './stored-value';

describe('toStoredValue / fromStoredValue', () => {
  it('keeps bytes, dates, sets and Botwire errors through JSON', () => {
    const value = {
      artifact: { name: 'a.pdf', data: new Uint8Array([0, 1, 255]) },
      at: new Date('2026-01-02T03:04:05Z'),
      confirmed: new Set(['s1', 's2']),
      error: new BotwireError('BOTWIRE_TOOL_FAILED', { message: 'no', hint: 'try again' }),
      nested: [{ deep: new Uint8Array([7]) }],
      skipped: undefined,
    };
    const back = fromStoredValue<typeof value>(JSON.parse(JSON.stringify(toStoredValue(value))));
    expect(back.artifact.data).toEqual(new Uint8Array([0, 1, 255]));
    expect(back.at.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect([...back.confirmed]).toEqual(['s1', 's2']);
    expect(back.error).toBeInstanceOf(BotwireError);
    expect(back.error.code).toBe('BOTWIRE_TOOL_FAILED');
    expect(back.error.hint).toBe('try again');
    expect(back.nested[0]?.deep).toEqual(new Uint8Array([7]));
    expect('skipped' in back).toBe(false);
  });
});
