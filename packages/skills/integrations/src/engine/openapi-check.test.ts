import { describe, expect, it } from 'vitest';
import { checkOpenApi, listOperations } from './openapi';

describe('checkOpenApi', () => {
  it('refuses Swagger 2.0', () => {
    expect(checkOpenApi({ swagger: '2.0', info: {}, paths: {} }).problems).toEqual([
      {
        path: '/swagger',
        message: expect.stringContaining('Swagger 2.0 is not supported; convert to OpenAPI 3'),
      },
    ]);
    expect(checkOpenApi('text').problems[0]!.path).toBe('');
  });

  it('lists every problem of a broken document with its JSON pointer', () => {
    const broken = {
      openapi: '3.2',
      info: { title: 'Broken', version: 1 },
      servers: [{ url: 'https://{region}.example.com' }, { url: 'ftp://files.example.com' }],
      security: [{ missingScheme: [] }],
      paths: {
        pets: { get: { responses: {} } },
        '/pets/{petId}': {
          get: {
            operationId: 'getPet',
            parameters: [
              { name: 'petId', in: 'path', schema: { type: 'integer' } },
              { name: 'limit', in: 'body', schema: { type: 'integer' } },
              { in: 'query', schema: { type: 'string' } },
              { name: 'verbose', in: 'query' },
              { name: 'owner', in: 'path', required: true, schema: { type: 'string' } },
            ],
            responses: { '200': { $ref: '#/components/responses/Missing' } },
          },
          put: {
            operationId: 'getPet',
            parameters: [{ name: 'petId', in: 'query', schema: { $ref: 'common.yaml#/Id' } }],
            requestBody: { content: {} },
            security: [{ oidc: [] }],
            responses: {},
          },
        },
      },
      components: {
        securitySchemes: {
          oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://id.example.com' },
          weird: { type: 'magic' },
        },
      },
    };
    const { problems } = checkOpenApi(broken);
    const paths = problems.map((problem) => problem.path);
    const item = '/paths/~1pets~1{petId}';
    expect(paths).toEqual(
      expect.arrayContaining([
        '/openapi',
        '/info/version',
        '/servers/0/url',
        '/servers/1/url',
        '/components/securitySchemes/weird/type',
        '/components/securitySchemes/oidc/type',
        `${item}/get/responses/200/$ref`,
        `${item}/put/parameters/0/schema/$ref`,
        '/paths/pets',
        `${item}/get/parameters/0/required`,
        `${item}/get/parameters/1/in`,
        `${item}/get/parameters/2/name`,
        `${item}/get/parameters/3`,
        `${item}/get/parameters/4/name`,
        `${item}/put`,
        `${item}/put/operationId`,
        `${item}/put/requestBody/content`,
        '/security/0/missingScheme',
      ]),
    );
    expect(new Set(paths).size).toBeGreaterThanOrEqual(18);
    const message = (path: string) =>
      problems
        .filter((problem) => problem.path === path)
        .map((problem) => problem.message)
        .join(' | ');
    expect(message('/openapi')).toContain('use an OpenAPI 3.0.x or 3.1.x document');
    expect(message('/info/version')).toContain('quote it');
    expect(message('/servers/0/url')).toContain('{region}');
    expect(message('/servers/1/url')).toContain('http or https');
    expect(message(`${item}/put/parameters/0/schema/$ref`)).toContain('only local references');
    expect(message(`${item}/get/responses/200/$ref`)).toContain('points at nothing');
    expect(message(`${item}/get/parameters/1/in`)).toContain('requestBody in OpenAPI 3');
    expect(message(`${item}/get/parameters/4/name`)).toContain('does not appear in the path');
    expect(message(`${item}/put`)).toContain('has {petId}, but PUT /pets/{petId} has no parameter');
    expect(message(`${item}/put/operationId`)).toContain('also used by GET /pets/{petId}');
    expect(message('/components/securitySchemes/oidc/type')).toContain('PUT /pets/{petId}');
    expect(message('/paths/pets')).toContain('must start with "/"');
  });

  it('reports missing info and paths, and unsupported schemes only when nothing else works', () => {
    expect(checkOpenApi({ openapi: '3.0.3' }).problems.map((problem) => problem.path)).toEqual([
      '/info',
      '/paths',
    ]);
    const document = {
      openapi: '3.0.3',
      info: { title: 'T', version: '1' },
      paths: { '/a': { get: { security: [{ oidc: [] }, { key: [] }], responses: {} } } },
      components: {
        securitySchemes: {
          oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://id.example.com' },
          key: { type: 'apiKey', in: 'query', name: 'key' },
        },
      },
    };
    expect(checkOpenApi(document).problems).toEqual([]);
    expect(listOperations(document)[0]!.security).toEqual({
      type: 'apiKey',
      in: 'query',
      name: 'key',
    });
  });
});
