import { describe, expect, it } from 'vitest';
import {
  checkJsonSchema,
  compileJsonSchema,
  rememberValidator,
  type SchemaMode,
  validatorFromSource,
  validatorSource,
} from './json-schema';

const cases: Array<{ name: string; mode: SchemaMode; schema: object; values: unknown[] }> = [
  {
    name: 'formats, limits, enums, defaults and unknown properties',
    mode: 'fill-defaults',
    schema: {
      type: 'object',
      properties: {
        url: { type: 'string', format: 'uri' },
        when: { type: 'string', format: 'date-time' },
        count: { type: 'integer', minimum: 1, maximum: 5, default: 2 },
        name: { type: 'string', minLength: 2, pattern: '^[a-zа-я]+$' },
        tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        mode: { enum: ['a', 'b'] },
        either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        nested: {
          type: 'object',
          properties: { flag: { type: 'boolean', default: false } },
          default: {},
        },
      },
      required: ['url'],
      additionalProperties: false,
    },
    values: [
      { url: 'https://example.org/a' },
      { url: 'not a uri', when: 'yesterday', count: 0, name: 'X', tags: ['a', 'a'], mode: 'c' },
      { url: 'https://example.org', either: {}, extra: 1, nested: { flag: 'yes' } },
      'not an object',
      { name: 'ёжик' },
    ],
  },
  {
    name: 'draft-07 with definitions and $ref',
    mode: 'check-only',
    schema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: {
        item: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
      },
      type: 'object',
      properties: { items: { type: 'array', items: { $ref: '#/definitions/item' } } },
    },
    values: [{ items: [{ id: 1 }] }, { items: [{ id: 'one' }, {}] }],
  },
  {
    name: '2020-12 with $defs, $ref and unevaluatedProperties',
    mode: 'fill-defaults',
    schema: {
      $defs: { size: { type: 'string', enum: ['s', 'm'], default: 'm' } },
      type: 'object',
      properties: { size: { $ref: '#/$defs/size' } },
      unevaluatedProperties: false,
    },
    values: [{}, { size: 'xl' }, { size: 's', other: true }],
  },
];

describe('validator sources', () => {
  for (const { name, mode, schema, values } of cases) {
    it(`check and fill in exactly as the compiled validator: ${name}`, () => {
      const compiled = compileJsonSchema(structuredClone(schema), mode);
      const source = validatorSource(compiled);
      expect(source).toBeTypeOf('string');
      const restored = validatorFromSource(source!);
      for (const value of values) {
        const [first, second] = [structuredClone(value), structuredClone(value)];
        expect(restored(second)).toBe(compiled(first));
        expect(restored.errors ?? null).toEqual(compiled.errors ?? null);
        expect(second).toEqual(first);
      }
    });
  }

  it('refuses a source that is not a validator module', () => {
    expect(() => validatorFromSource('module.exports = 42;')).toThrow(/no validator/);
    expect(() => validatorFromSource('this is not JavaScript')).toThrow();
  });

  it('answers checkJsonSchema with a remembered validator, without compiling', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const remembered = Object.assign(() => true, { errors: null }) as never;
    rememberValidator(schema, 'check-only', remembered);
    expect(checkJsonSchema(schema, 'check-only').validate).toBe(remembered);
    expect(checkJsonSchema(schema, 'fill-defaults').validate).not.toBe(remembered);
  });
});
