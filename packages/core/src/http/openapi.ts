import type { RouteDocument } from '../ports/http-routes';

const builtins: RouteDocument[] = [
  {
    method: 'get',
    path: '/health',
    summary: 'The process is alive.',
    responses: {
      '200': {
        description: 'Alive.',
        schema: { type: 'object', properties: { status: { const: 'ok' } } },
      },
    },
  },
  {
    method: 'get',
    path: '/ready',
    summary: 'Storage, model and queue are reachable; each dependency with its state.',
    responses: {
      '200': {
        description: 'Every dependency is ready.',
        schema: { $ref: '#/components/schemas/Readiness' },
      },
      '503': {
        description: 'At least one dependency is not ready; its entry says why.',
        schema: { $ref: '#/components/schemas/Readiness' },
      },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics: messages, tool calls, model calls, latency histograms, errors.',
    responses: { '200': { description: 'Prometheus text format.', contentType: 'text/plain' } },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document.',
    responses: { '200': { description: 'OpenAPI 3.1.' } },
  },
];

/** An OpenAPI 3.1 document of the server's built-in routes and the routes adapters described. */
export function openApiDocument(
  title: string,
  version: string,
  routes: readonly RouteDocument[],
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of [...builtins, ...routes]) {
    const operation: Record<string, unknown> = {
      summary: route.summary,
      responses: Object.fromEntries(
        Object.entries(route.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.schema || response.contentType
              ? {
                  content: {
                    [response.contentType ?? 'application/json']: response.schema
                      ? { schema: response.schema }
                      : {},
                  },
                }
              : {}),
          },
        ]),
      ),
    };
    if (route.auth) operation.security = [{ bearer: [] }];
    if (route.requestBody)
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: route.requestBody } },
      };
    paths[route.path] = { ...paths[route.path], [route.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title, version },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Readiness: {
          type: 'object',
          properties: {
            ready: { type: 'boolean' },
            checks: {
              type: 'object',
              additionalProperties: {
                type: 'object',
                properties: {
                  ok: { type: 'boolean' },
                  error: { type: 'string' },
                  details: { type: 'object' },
                },
                required: ['ok'],
              },
            },
          },
          required: ['ready', 'checks'],
        },
      },
    },
  };
}
