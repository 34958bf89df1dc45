import { parseWithSchema } from '@botwire/core';
import { describe, expect, it } from 'vitest';
import { petstoreDocument } from '../testing/petstore-document';
import { checkOpenApi, documentBaseUrl, listOperations, parseDocument } from './openapi';

const base = 'http://127.0.0.1:4010';

describe('the Petstore document', () => {
  const document = petstoreDocument(base, { token: 't' });
  const operations = listOperations(document);
  const byId = (id: string) => operations.find((operation) => operation.id === id)!;

  it('is a valid document', () => {
    expect(checkOpenApi(document).problems).toEqual([]);
    expect(documentBaseUrl(document)).toBe(base);
  });

  it('becomes one operation per path and method, with snake_case ids', () => {
    expect(operations.map((operation) => [operation.id, operation.method, operation.path])).toEqual(
      [
        ['list_pets', 'GET', '/pets'],
        ['create_pet', 'POST', '/pets'],
        ['get_pet_by_id', 'GET', '/pets/{petId}'],
        ['delete_pet', 'DELETE', '/pets/{petId}'],
        ['get_health', 'GET', '/health'],
      ],
    );
    expect(operations.map((operation) => operation.sideEffect)).toEqual([
      false,
      true,
      false,
      true,
      false,
    ]);
    expect(byId('list_pets').summary).toBe('List the pets');
    expect(byId('list_pets').tags).toEqual(['pets']);
  });

  it('types petId as an integer path parameter, from the path item and its $ref', () => {
    const getPet = byId('get_pet_by_id');
    expect(getPet.parameters).toEqual([
      {
        name: 'petId',
        in: 'path',
        required: true,
        argument: 'petId',
        schema: { type: 'integer', format: 'int64', minimum: 1, description: 'The id of the pet' },
      },
    ]);
    expect(getPet.inputSchema).toEqual({
      type: 'object',
      properties: { petId: getPet.parameters[0]!.schema },
      required: ['petId'],
      additionalProperties: false,
    });
    expect(parseWithSchema(getPet.inputSchema, { petId: 2 }).ok).toBe(true);
    expect(parseWithSchema(getPet.inputSchema, { petId: 'two' }).ok).toBe(false);
    expect(parseWithSchema(getPet.inputSchema, {}).ok).toBe(false);
    expect(parseWithSchema(getPet.inputSchema, { petId: 2, extra: 1 }).ok).toBe(false);
  });

  it('gives the body schema with refs inlined, read-only fields left out and nullable converted', () => {
    const create = byId('create_pet');
    expect(create.body).toEqual({
      required: true,
      contentType: 'application/json',
      schema: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string', minLength: 1 },
          tag: { type: ['string', 'null'] },
        },
      },
    });
    expect(create.inputSchema.required).toEqual(['body']);
    expect(parseWithSchema(create.inputSchema, { body: { name: 'Kitty', tag: null } }).ok).toBe(
      true,
    );
    expect(parseWithSchema(create.inputSchema, { body: { tag: 'cat' } }).ok).toBe(false);
  });

  it('gives optional query parameters and the auth of the operation', () => {
    const list = byId('list_pets');
    expect(list.inputSchema.required).toEqual([]);
    expect(Object.keys(list.inputSchema.properties as object)).toEqual(['limit', 'tag']);
    expect(list.security).toEqual({ type: 'bearer' });
    expect(byId('get_health').security).toBeUndefined();
    for (const operation of operations)
      expect(() => parseWithSchema(operation.inputSchema, {})).not.toThrow();
  });

  it('filters by tag and keeps ids within maxIdLength', () => {
    expect(listOperations(document, { tags: ['pets'] })).toHaveLength(4);
    const short = listOperations(document, { maxIdLength: 8 }).map((operation) => operation.id);
    expect(short).toEqual(['list_pet', 'create_p', 'get_pet', 'delete_p', 'get_heal']);
  });

  it('maps each kind of security scheme to an auth', () => {
    const auth = (options: Parameters<typeof petstoreDocument>[1]) =>
      listOperations(petstoreDocument(base, options))[0]!.security;
    expect(auth({ apiKey: 'k' })).toEqual({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
    expect(auth({ apiKey: 'k', apiKeyIn: 'query' })).toEqual({
      type: 'apiKey',
      in: 'query',
      name: 'api_key',
    });
    expect(auth({ basic: { username: 'u', password: 'p' } })).toEqual({ type: 'basic' });
    expect(auth({ oauth: { clientId: 'c', clientSecret: 's', tokenLifetimeSec: 60 } })).toEqual({
      type: 'oauth2',
      tokenUrl: `${base}/oauth/token`,
      scopes: ['pets:read', 'pets:write'],
    });
    expect(auth({})).toBeUndefined();
  });
});

describe('operation ids', () => {
  const minimal = (paths: Record<string, unknown>) => ({
    openapi: '3.1.0',
    info: { title: 'T', version: '1' },
    paths,
  });
  const ok = { responses: { '200': { description: 'ok' } } };

  it('come from the method and path when there is no operationId, and clashes get _2', () => {
    const document = minimal({
      '/pets/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: ok,
        put: { ...ok, operationId: 'get_pets_by_id' },
      },
      '/users/{userId}/HTTPStatus.json': {
        parameters: [{ name: 'userId', in: 'path', required: true, schema: { type: 'string' } }],
        post: { ...ok, operationId: 'postHTTPStatus' },
        delete: ok,
      },
      '/': { get: ok },
    });
    expect(checkOpenApi(document).problems).toEqual([]);
    expect(listOperations(document).map((operation) => operation.id)).toEqual([
      'get_pets_by_id',
      'get_pets_by_id_2',
      'post_http_status',
      'delete_users_by_user_id_http_status_json',
      'get',
    ]);
  });

  it('are cut to 64 characters, suffix included', () => {
    const long = 'a'.repeat(80);
    const document = minimal({
      '/a': { get: { ...ok, operationId: long } },
      '/b': { get: { ...ok, operationId: long } },
    });
    const ids = listOperations(document).map((operation) => operation.id);
    expect(ids).toEqual(['a'.repeat(64), `${'a'.repeat(62)}_2`]);
  });
});

describe('parameter names that clash', () => {
  it('keep path and query names, prefix header and cookie ones with their location', () => {
    const document = {
      openapi: '3.0.3',
      info: { title: 'T', version: '1' },
      paths: {
        '/items/{id}': {
          put: {
            parameters: [
              { name: 'id', in: 'header', schema: { type: 'string' } },
              { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
              { name: 'id', in: 'query', schema: { type: 'string' } },
              { name: 'body', in: 'query', schema: { type: 'string' } },
              { name: 'session', in: 'cookie', schema: { type: 'string' } },
            ],
            requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    };
    expect(checkOpenApi(document).problems).toEqual([]);
    const [operation] = listOperations(document);
    expect(
      operation!.parameters.map((parameter) => [parameter.in, parameter.name, parameter.argument]),
    ).toEqual([
      ['header', 'id', 'header_id'],
      ['path', 'id', 'id'],
      ['query', 'id', 'query_id'],
      ['query', 'body', 'query_body'],
      ['cookie', 'session', 'session'],
    ]);
    expect(Object.keys(operation!.inputSchema.properties as object)).toEqual([
      'header_id',
      'id',
      'query_id',
      'query_body',
      'session',
      'body',
    ]);
    expect(operation!.body?.required).toBe(false);
  });
});

describe('$ref inlining', () => {
  const document = {
    openapi: '3.0.3',
    info: { title: 'Tree', version: '1' },
    paths: {
      '/nodes': {
        post: {
          operationId: 'addNode',
          parameters: [{ $ref: '#/components/parameters/Depth' }],
          requestBody: { $ref: '#/components/requestBodies/NodeBody' },
          responses: { '200': { description: 'ok' } },
        },
      },
    },
    components: {
      parameters: {
        Depth: { name: 'depth', in: 'query', schema: { $ref: '#/components/schemas/Depth' } },
      },
      requestBodies: {
        NodeBody: {
          required: true,
          description: 'The node to add',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } },
        },
      },
      schemas: {
        Depth: {
          type: 'integer',
          minimum: 0,
          exclusiveMinimum: true,
          example: 3,
          'x-internal': true,
        },
        Node: {
          type: 'object',
          xml: { name: 'node' },
          discriminator: { propertyName: 'kind' },
          properties: {
            kind: { type: 'string', enum: ['leaf', 'branch'], nullable: true },
            secret: { type: 'string', writeOnly: true },
            children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
            parent: { $ref: '#/components/schemas/Parent' },
          },
        },
        Parent: { allOf: [{ $ref: '#/components/schemas/Node' }], nullable: true },
      },
    },
  };

  it('inlines every local reference and stops at cycles with a description', () => {
    expect(checkOpenApi(document).problems).toEqual([]);
    const [operation] = listOperations(document);
    expect(operation!.parameters[0]!.schema).toEqual({ type: 'integer', exclusiveMinimum: 0 });
    const cycle = {
      description:
        'Recursive reference to #/components/schemas/Node; it is not expanded again here.',
    };
    expect(operation!.body).toEqual({
      required: true,
      contentType: 'application/json',
      schema: {
        type: 'object',
        description: 'The node to add',
        properties: {
          kind: { type: ['string', 'null'], enum: ['leaf', 'branch', null] },
          secret: { type: 'string', writeOnly: true },
          children: { type: 'array', items: cycle },
          parent: { anyOf: [{ allOf: [cycle] }, { type: 'null' }] },
        },
      },
    });
    expect(JSON.stringify(operation!.inputSchema)).not.toContain('$ref');
    const valid = { depth: 1, body: { kind: null, children: [{ anything: true }], parent: null } };
    expect(parseWithSchema(operation!.inputSchema, valid).ok).toBe(true);
    expect(parseWithSchema(operation!.inputSchema, { depth: 0, body: {} }).ok).toBe(false);
  });
});

describe('parseDocument', () => {
  it('reads YAML and JSON alike', () => {
    const yaml = `
openapi: 3.1.0
info:
  title: Notes
  version: "2.0"
servers:
  - url: /api/{version}
    variables:
      version:
        default: v2
paths:
  /notes/{noteId}:
    get:
      operationId: getNote
      parameters:
        - name: noteId
          in: path
          required: true
          schema: { type: [string, "null"] }
      responses:
        "200": { description: The note }
`;
    const document = parseDocument(yaml);
    expect(checkOpenApi(document).problems).toEqual([]);
    expect(listOperations(document)[0]!.parameters[0]!.schema).toEqual({
      type: ['string', 'null'],
    });
    expect(documentBaseUrl(document, 'https://notes.example.com/docs/openapi.yaml')).toBe(
      'https://notes.example.com/api/v2',
    );
    expect(documentBaseUrl(document)).toBeUndefined();
    expect(parseDocument(JSON.stringify(document))).toEqual(document);
  });

  it('names the line and column of a syntax error', () => {
    const json = '{\n  "openapi": "3.0.3",\n  "info": {,\n}';
    expect(() => parseDocument(json)).toThrow(/not valid JSON: .* at line 3, column 12\./);
    try {
      parseDocument('openapi: 3.0.3\ninfo:\n  title: [a,\n  version: 1\npaths: {}\n');
      expect.unreachable();
    } catch (error) {
      const { code, details } = error as {
        code: string;
        details: { line: number; column: number };
      };
      expect(code).toBe('BOTWIRE_INTEGRATION_INVALID');
      expect((error as Error).message).toMatch(
        /^The document is not valid YAML: .* at line \d+, column \d+\.$/,
      );
      expect(details).toEqual({ line: 4, column: 3 });
    }
    expect(() => parseDocument('a: &x\n  b: *x\n')).toThrow(/contains itself through an alias/);
  });
});
