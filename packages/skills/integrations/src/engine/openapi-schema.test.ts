import { describe, expect, it } from 'vitest';
import { openApiSchemaToJsonSchema } from './openapi-schema';

describe('openApiSchemaToJsonSchema', () => {
  it('converts OpenAPI 3.0 keywords to JSON Schema 2020-12', () => {
    expect(
      openApiSchemaToJsonSchema(
        {
          type: 'number',
          minimum: 0,
          exclusiveMinimum: true,
          maximum: 10,
          exclusiveMaximum: false,
          nullable: true,
          example: 5,
          externalDocs: { url: 'https://example.com' },
          'x-unit': 'kg',
        },
        {},
      ),
    ).toEqual({ type: ['number', 'null'], exclusiveMinimum: 0, maximum: 10 });
  });

  it('keeps 3.1 schemas, drops identifiers that would clash when inlined twice', () => {
    const document = {
      components: {
        schemas: {
          Id: {
            $id: 'https://example.com/id',
            $schema: 'https://json-schema.org/draft/2020-12/schema',
            type: 'string',
          },
        },
      },
    };
    expect(
      openApiSchemaToJsonSchema(
        {
          type: 'object',
          properties: {
            a: { $ref: '#/components/schemas/Id' },
            b: { $ref: '#/components/schemas/Id', description: 'B' },
          },
          prefixItems: [true, false],
        },
        document,
      ),
    ).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string', description: 'B' } },
      prefixItems: [true, false],
    });
    expect(openApiSchemaToJsonSchema(true, {})).toEqual({});
    expect(openApiSchemaToJsonSchema(false, {})).toEqual({ not: {} });
  });

  it('leaves read-only properties out of requests only', () => {
    const schema = {
      type: 'object',
      required: ['id', 'name'],
      properties: { id: { type: 'integer', readOnly: true }, name: { type: 'string' } },
    };
    expect(openApiSchemaToJsonSchema(schema, {})).toEqual({
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' } },
    });
    expect(openApiSchemaToJsonSchema(schema, {}, { request: false }).properties).toEqual({
      id: { type: 'integer' },
      name: { type: 'string' },
    });
  });

  it('describes remote, missing and oversized references instead of failing', () => {
    expect(openApiSchemaToJsonSchema({ $ref: 'other.yaml#/Pet' }, {})).toEqual({
      description: 'Not checked: the remote reference other.yaml#/Pet is not supported.',
    });
    expect(openApiSchemaToJsonSchema({ $ref: '#/nothing' }, {})).toEqual({
      description: 'Unresolvable reference #/nothing.',
    });
    const wide = {
      components: { schemas: { Leaf: { type: 'object', properties: { a: {}, b: {}, c: {} } } } },
    };
    const many = {
      type: 'array',
      items: { anyOf: Array(10).fill({ $ref: '#/components/schemas/Leaf' }) },
    };
    expect(JSON.stringify(openApiSchemaToJsonSchema(many, wide, { maxNodes: 12 }))).toContain(
      'Not expanded: the schema is too large.',
    );
  });
});
