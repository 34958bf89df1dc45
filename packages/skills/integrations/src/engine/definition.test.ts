import { parseWithSchema } from '@botwire/core';
import { describe, expect, it } from 'vitest';
import { checkDefinition, definitionOperations, type IntegrationDefinition } from './definition';

const crm: IntegrationDefinition = {
  name: 'crm',
  baseUrl: 'https://crm.example.com/api',
  auth: { type: 'bearer' },
  endpoints: [
    {
      name: 'list_contacts',
      method: 'GET',
      path: '/contacts',
      description: 'Lists contacts',
      params: { q: { type: 'string', in: 'query' }, limit: { type: 'integer', minimum: 1 } },
    },
    {
      name: 'get_contact',
      method: 'GET',
      path: '/contacts/{id}',
      params: { id: { type: 'integer', in: 'path', required: true } },
    },
    {
      name: 'add_note',
      method: 'post',
      path: '/contacts/{id}/notes',
      params: {
        id: { type: 'integer', in: 'path' },
        'X-Request-Id': { type: 'string', in: 'header' },
      },
      body: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    },
  ],
  health: { method: 'GET', path: '/health', expectStatus: 200 },
};

describe('definitions', () => {
  it('a valid definition has no problems and gives operations like an OpenAPI document', () => {
    expect(checkDefinition(crm).problems).toEqual([]);
    const [list, get, note] = definitionOperations(crm);
    expect(list).toEqual({
      id: 'list_contacts',
      method: 'GET',
      path: '/contacts',
      description: 'Lists contacts',
      parameters: [
        { name: 'q', in: 'query', required: false, schema: { type: 'string' }, argument: 'q' },
        {
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1 },
          argument: 'limit',
        },
      ],
      inputSchema: {
        type: 'object',
        properties: { q: { type: 'string' }, limit: { type: 'integer', minimum: 1 } },
        required: [],
        additionalProperties: false,
      },
      sideEffect: false,
      security: { type: 'bearer' },
      tags: [],
    });
    expect(get!.inputSchema.required).toEqual(['id']);
    expect(note!.method).toBe('POST');
    expect(note!.sideEffect).toBe(true);
    expect(note!.body).toEqual({
      required: true,
      contentType: 'application/json',
      schema: crm.endpoints[2]!.body,
    });
    expect(note!.inputSchema.required).toEqual(['id', 'body']);
    expect(
      parseWithSchema(note!.inputSchema, { id: 1, body: { text: 'hi' }, 'X-Request-Id': 'r1' }).ok,
    ).toBe(true);
    expect(parseWithSchema(note!.inputSchema, { id: 1 }).ok).toBe(false);
  });

  it('lists every problem with its JSON pointer', () => {
    const broken = {
      name: 'CRM',
      baseUrl: 'ftp://crm.example.com',
      auth: { type: 'apiKey', in: 'cookie', key: 'abc123' },
      endpoint: [],
      endpoints: [
        { name: 'get', method: 'FETCH', path: 'contacts/{id}', params: { id: { type: 'int' } } },
        { name: 'get', method: 'GET', path: '/x', params: { y: { in: 'path' } }, body: 'text' },
      ],
      health: { path: 'health', expectStatus: 700 },
    };
    const { problems } = checkDefinition(broken);
    expect(problems.map((problem) => problem.path)).toEqual([
      '/endpoint',
      '/name',
      '/baseUrl',
      '/auth/key',
      '/auth/in',
      '/auth/name',
      '/endpoints/0/method',
      '/endpoints/0/path',
      '/endpoints/0/params/id/type',
      '/endpoints/0/path',
      '/endpoints/1/name',
      '/endpoints/1/params/y/in',
      '/endpoints/1/body',
      '/health/path',
      '/health/expectStatus',
    ]);
    const message = (path: string) => problems.find((problem) => problem.path === path)!.message;
    expect(message('/auth/key')).toContain('credentials never go in the definition');
    expect(message('/endpoints/1/name')).toContain('also the name of endpoint 0');
    expect(message('/endpoint')).toContain('unknown field "endpoint"');
  });

  it('checks each auth kind', () => {
    const withAuth = (auth: unknown) =>
      checkDefinition({ ...crm, auth }).problems.map(
        (problem) => `${problem.path}: ${problem.message}`,
      );
    expect(withAuth({ type: 'basic' })).toEqual([]);
    expect(withAuth({ type: 'apiKey', in: 'query', name: 'api_key' })).toEqual([]);
    expect(
      withAuth({ type: 'oauth2', tokenUrl: 'https://auth.example.com/token', scopes: ['a.read'] }),
    ).toEqual([]);
    expect(withAuth({ type: 'oauth2', tokenUrl: '/token', scopes: ['a b'] })).toEqual([
      expect.stringMatching(/^\/auth\/tokenUrl: /),
      expect.stringMatching(/^\/auth\/scopes: /),
    ]);
    expect(withAuth({ type: 'digest' })).toEqual([
      expect.stringMatching(/^\/auth\/type: auth.type must be one of/),
    ]);
    expect(withAuth({ type: 'bearer', token: 'abc' })).toEqual([
      expect.stringMatching(/^\/auth\/token: credentials never go/),
    ]);
    expect(checkDefinition([]).problems).toEqual([{ path: '', message: expect.any(String) }]);
  });

  it('allows names of 1 to 32 characters', () => {
    expect(checkDefinition({ ...crm, name: 'a' }).problems).toEqual([]);
    expect(checkDefinition({ ...crm, name: `a${'b'.repeat(31)}` }).problems).toEqual([]);
    expect(checkDefinition({ ...crm, name: `a${'b'.repeat(32)}` }).problems[0]!.path).toBe('/name');
    expect(checkDefinition({ ...crm, name: '1crm' }).problems[0]!.path).toBe('/name');
  });
});
