/** How a Petstore peer checks its callers; each option set is one accepted way in. */
export interface PetstoreAuthOptions {
  /** Accept `Authorization: Bearer <token>`. */
  token?: string;
  /** Accept this API key, in the `X-Api-Key` header or the `api_key` query parameter. */
  apiKey?: string;
  /** Where the API key goes. Default `header`. */
  apiKeyIn?: 'header' | 'query';
  /** Accept `Authorization: Basic` with this user name and password. */
  basic?: { username: string; password: string };
  /** Issue tokens at `POST /oauth/token` (client credentials) and accept them as bearer tokens. */
  oauth?: { clientId: string; clientSecret: string; tokenLifetimeSec: number };
}

const errorResponse = {
  description: 'An error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

/**
 * The OpenAPI 3.0 document of a Petstore peer at `baseUrl`: the pets operations and the
 * health check, with the security schemes of the ways in it was started with (alternatives:
 * any one of them will do). The `/testing/*` controls are not part of it.
 */
export function petstoreDocument(
  baseUrl: string,
  auth: PetstoreAuthOptions = {},
): Record<string, unknown> {
  const schemes: Record<string, unknown> = {};
  if (auth.token !== undefined) schemes.bearerAuth = { type: 'http', scheme: 'bearer' };
  if (auth.apiKey !== undefined)
    schemes.apiKeyAuth =
      auth.apiKeyIn === 'query'
        ? { type: 'apiKey', in: 'query', name: 'api_key' }
        : { type: 'apiKey', in: 'header', name: 'X-Api-Key' };
  if (auth.basic) schemes.basicAuth = { type: 'http', scheme: 'basic' };
  if (auth.oauth)
    schemes.oauth = {
      type: 'oauth2',
      flows: {
        clientCredentials: {
          tokenUrl: `${baseUrl}/oauth/token`,
          scopes: { 'pets:read': 'Read pets', 'pets:write': 'Add and remove pets' },
        },
      },
    };
  const security = Object.keys(schemes).map((name) => ({
    [name]: name === 'oauth' ? ['pets:read', 'pets:write'] : [],
  }));
  return {
    openapi: '3.0.3',
    info: { title: 'Petstore', version: '1.0.0', description: 'A small store of pets.' },
    servers: [{ url: baseUrl }],
    ...(security.length ? { security } : {}),
    paths: {
      '/pets': {
        get: {
          operationId: 'listPets',
          summary: 'List the pets',
          tags: ['pets'],
          parameters: [
            {
              name: 'limit',
              in: 'query',
              description: 'How many pets at most',
              required: false,
              schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 100 },
            },
            {
              name: 'tag',
              in: 'query',
              description: 'Only pets with this tag',
              schema: { type: 'string' },
            },
          ],
          responses: {
            '200': {
              description: 'The pets',
              content: {
                'application/json': {
                  schema: { type: 'array', items: { $ref: '#/components/schemas/Pet' } },
                },
              },
            },
            default: errorResponse,
          },
        },
        post: {
          operationId: 'createPet',
          summary: 'Add a pet',
          tags: ['pets'],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
          },
          responses: {
            '201': {
              description: 'The new pet',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
            },
            default: errorResponse,
          },
        },
      },
      '/pets/{petId}': {
        parameters: [{ $ref: '#/components/parameters/PetId' }],
        get: {
          operationId: 'getPetById',
          summary: 'Info for one pet',
          tags: ['pets'],
          responses: {
            '200': {
              description: 'The pet',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
            },
            '404': errorResponse,
          },
        },
        delete: {
          operationId: 'deletePet',
          summary: 'Remove a pet',
          tags: ['pets'],
          responses: { '204': { description: 'Removed' }, '404': errorResponse },
        },
      },
      '/health': {
        get: {
          operationId: 'getHealth',
          summary: 'Whether the store works',
          security: [],
          responses: {
            '200': {
              description: 'It works',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
    },
    components: {
      parameters: {
        PetId: {
          name: 'petId',
          in: 'path',
          required: true,
          description: 'The id of the pet',
          schema: { type: 'integer', format: 'int64', minimum: 1 },
        },
      },
      schemas: {
        Pet: {
          type: 'object',
          required: ['id', 'name'],
          properties: {
            id: { type: 'integer', format: 'int64', readOnly: true },
            name: { type: 'string', minLength: 1, example: 'Rex' },
            tag: { type: 'string', nullable: true },
          },
        },
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: { code: { type: 'integer' }, message: { type: 'string' } },
        },
      },
      ...(Object.keys(schemes).length ? { securitySchemes: schemes } : {}),
    },
  };
}
