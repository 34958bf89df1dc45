import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseWithSchema } from './json-schema';
import type { JsonSchemaType } from './json-schema-type';

const body = {
  type: 'object',
  properties: {
    text: { type: 'string', maxLength: 10 },
    format: { enum: ['plain', 'markdown'] },
    tags: { type: 'array', items: { type: 'string' } },
    count: { type: ['integer', 'null'] },
    nested: {
      type: 'object',
      properties: { flag: { type: 'boolean' } },
      required: ['flag'],
    },
    kind: { const: 'note' },
    either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
  },
  required: ['text'],
} as const;

type Body = JsonSchemaType<typeof body>;

describe('JsonSchemaType', () => {
  it('derives required and optional properties, enums, arrays, unions and nested objects', () => {
    expectTypeOf<Body>().toEqualTypeOf<{
      text: string;
      format?: 'plain' | 'markdown';
      tags?: string[];
      count?: number | null;
      nested?: { flag: boolean };
      kind?: 'note';
      either?: string | number;
    }>();
  });
});

describe('parseWithSchema', () => {
  it('returns the value when it fits, and every issue when it does not', () => {
    const good = parseWithSchema<Body>(body, { text: 'hi', format: 'plain' }, 'body');
    expect(good).toEqual({ ok: true, value: { text: 'hi', format: 'plain' } });
    const bad = parseWithSchema<Body>(body, { text: 'x'.repeat(11), format: 'html' }, 'body');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((issue) => issue.path).sort()).toEqual(['/format', '/text']);
    const missing = parseWithSchema<Body>(body, {}, 'body');
    expect(!missing.ok && missing.issues[0]?.message).toMatch(/text/);
  });
});
