// @ts-check

/** @param {string} description */
const errorResponse = (description) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const unauthorized = errorResponse('No token, or a wrong one');

/**
 * The OpenAPI 3.0.3 document of the demo notes API served at `baseUrl`: the health check (open)
 * and the notes (a bearer token).
 *
 * @param {string} baseUrl such as `http://127.0.0.1:8787`
 * @returns {Record<string, unknown>}
 */
export function notesDocument(baseUrl) {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Demo notes',
      version: '1.0.0',
      description:
        'A small notes API for trying out Botwire integrations: list, search, read, add and delete notes. The notes live in memory.',
    },
    servers: [{ url: baseUrl }],
    security: [{ bearerAuth: [] }],
    tags: [{ name: 'notes' }],
    paths: {
      '/health': {
        get: {
          operationId: 'getHealth',
          summary: 'Whether the API works',
          security: [],
          responses: {
            200: {
              description: 'It works',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['status'],
                    properties: {
                      status: { type: 'string', enum: ['ok'] },
                      notes: { type: 'integer', description: 'How many notes there are' },
                    },
                  },
                },
              },
            },
          },
        },
      },
      '/notes': {
        get: {
          operationId: 'listNotes',
          summary: 'List the notes, newest first, or search them',
          tags: ['notes'],
          parameters: [
            {
              name: 'q',
              in: 'query',
              description: 'Only notes whose title or text contains this (any case)',
              schema: { type: 'string', maxLength: 200 },
            },
            {
              name: 'limit',
              in: 'query',
              description: 'How many notes at most (default 20)',
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            },
          ],
          responses: {
            200: {
              description: 'The notes',
              content: {
                'application/json': {
                  schema: { type: 'array', items: { $ref: '#/components/schemas/Note' } },
                },
              },
            },
            400: errorResponse('A parameter is wrong'),
            401: unauthorized,
          },
        },
        post: {
          operationId: 'createNote',
          summary: 'Add a note',
          tags: ['notes'],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/NewNote' } },
            },
          },
          responses: {
            201: {
              description: 'The new note',
              headers: {
                Location: { description: 'The path of the new note', schema: { type: 'string' } },
              },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } },
            },
            400: errorResponse('The body is wrong'),
            401: unauthorized,
          },
        },
      },
      '/notes/{id}': {
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            description: 'The id of the note',
            schema: { type: 'integer', minimum: 1 },
          },
        ],
        get: {
          operationId: 'getNote',
          summary: 'Read one note',
          tags: ['notes'],
          responses: {
            200: {
              description: 'The note',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } },
            },
            401: unauthorized,
            404: errorResponse('There is no such note'),
          },
        },
        delete: {
          operationId: 'deleteNote',
          summary: 'Delete a note',
          tags: ['notes'],
          responses: {
            204: { description: 'Deleted' },
            401: unauthorized,
            404: errorResponse('There is no such note'),
          },
        },
      },
    },
    components: {
      schemas: {
        Note: {
          type: 'object',
          required: ['id', 'title', 'text', 'created_at'],
          properties: {
            id: { type: 'integer', readOnly: true, example: 1 },
            title: { type: 'string', example: 'Shopping list' },
            text: { type: 'string', example: 'Milk, bread, apples' },
            created_at: { type: 'string', format: 'date-time', readOnly: true },
          },
        },
        NewNote: {
          type: 'object',
          required: ['title'],
          properties: {
            title: { type: 'string', minLength: 1, maxLength: 200, example: 'Shopping list' },
            text: { type: 'string', maxLength: 10000, default: '', example: 'Milk, bread' },
          },
          additionalProperties: false,
        },
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: {
            error: { type: 'string', example: 'not_found' },
            message: { type: 'string' },
          },
        },
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'The token the server was started with (--token, default demo-token)',
        },
      },
    },
  };
}
