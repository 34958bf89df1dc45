import { isRecord, pointer } from './json-pointer';
import type { DocumentProblem } from './openapi-check';
import {
  type AuthScheme,
  buildInputSchema,
  type HttpMethod,
  isSafeMethod,
  type JsonSchema,
  type Operation,
  type OperationParameter,
  type ParameterLocation,
  parameterArguments,
  templateNames,
} from './operation';

/** One parameter of an endpoint: a JSON Schema plus where it goes. */
export interface ParamDefinition {
  /** Where it travels. Default `query`. */
  in?: ParameterLocation;
  /** Default false; path parameters are always required. */
  required?: boolean;
  description?: string;
  type?: string | string[];
  /** Any other JSON Schema keyword (`enum`, `minimum`, `items`, ...). */
  [keyword: string]: unknown;
}

/** One endpoint of a small definition; it becomes one {@link Operation}. */
export interface EndpointDefinition {
  /** The operation id: `[a-z][a-z0-9_]*`, at most 64 characters. */
  name: string;
  method: HttpMethod | Lowercase<HttpMethod>;
  /** The path template below `baseUrl`, such as `/contacts/{id}`. */
  path: string;
  description?: string;
  /** The parameters by name. */
  params?: Record<string, ParamDefinition>;
  /** The JSON Schema of a JSON request body. */
  body?: JsonSchema;
  /** Whether the body must be sent. Default true when there is a body. */
  bodyRequired?: boolean;
}

/** The request that tells whether an integration's API is up. */
export interface HealthDefinition {
  /** GET (the default) or HEAD. */
  method?: 'GET' | 'HEAD';
  path: string;
  /** The status that means healthy. Default: any 2xx. */
  expectStatus?: number;
}

/**
 * A small API described without OpenAPI.
 *
 * @example
 * {
 *   name: 'crm', baseUrl: 'https://crm.example.com/api', auth: { type: 'bearer' },
 *   endpoints: [{ name: 'get_contact', method: 'GET', path: '/contacts/{id}',
 *     params: { id: { type: 'integer', in: 'path', required: true } } }],
 *   health: { method: 'GET', path: '/health', expectStatus: 200 },
 * }
 */
export interface IntegrationDefinition {
  /** The integration's name: `[a-z][a-z0-9_]{0,31}`. */
  name: string;
  description?: string;
  /** The absolute http(s) URL the endpoints' paths are appended to. */
  baseUrl: string;
  auth?: AuthScheme;
  endpoints: EndpointDefinition[];
  health?: HealthDefinition;
}

/** The form of an integration's name. */
export const integrationNamePattern = /^[a-z][a-z0-9_]{0,31}$/;
const endpointNamePattern = /^[a-z][a-z0-9_]{0,63}$/;
const methods = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];
const paramLocations = ['query', 'path', 'header', 'cookie'];
const schemaTypes = ['string', 'number', 'integer', 'boolean', 'array', 'object', 'null'];
const definitionFields = [
  '$schema',
  'name',
  'description',
  'baseUrl',
  'auth',
  'endpoints',
  'health',
];
const endpointFields = ['name', 'method', 'path', 'description', 'params', 'body', 'bodyRequired'];
const healthFields = ['method', 'path', 'expectStatus'];

type Add = (path: string, message: string) => void;

/**
 * Lists every problem of a small definition with its JSON pointer (`/endpoints/1/params/id/in`):
 * the name, the base URL, the auth, each endpoint (name, method, path, params against the
 * path template, body) and the health check. An empty list means {@link definitionOperations}
 * can use it.
 */
export function checkDefinition(value: unknown): { problems: DocumentProblem[] } {
  const problems: DocumentProblem[] = [];
  const add: Add = (path, message) => problems.push({ path, message });
  if (!isRecord(value)) {
    add('', 'a definition must be an object with name, baseUrl and endpoints');
    return { problems };
  }
  unknownFields(value, definitionFields, '', 'a definition', add);
  if (typeof value.name !== 'string' || !integrationNamePattern.test(value.name))
    add(
      '/name',
      `name must be 1 to 32 lower-case letters, digits or _, starting with a letter (such as "crm"); got ${JSON.stringify(value.name)}`,
    );
  if (value.description !== undefined && typeof value.description !== 'string')
    add('/description', 'description must be a string');
  const baseUrlProblem = absoluteUrlProblem(value.baseUrl, 'baseUrl');
  if (baseUrlProblem) add('/baseUrl', baseUrlProblem);
  if (value.auth !== undefined) checkAuthScheme(value.auth, '/auth', add);
  checkEndpoints(value.endpoints, add);
  if (value.health !== undefined) checkHealthDefinition(value.health, add);
  return { problems };
}

/**
 * Why a value is not an {@link AuthScheme}, as problems under `at`: bearer, basic,
 * apiKey (in a header or the query, with a name) or oauth2 (client credentials, with an absolute
 * tokenUrl and optional scopes).
 */
export function checkAuthScheme(value: unknown, at: string, add: Add): void {
  const kinds = ['bearer', 'apiKey', 'basic', 'oauth2'];
  if (!isRecord(value) || !kinds.includes(value.type as string)) {
    add(
      isRecord(value) ? `${at}/type` : at,
      `auth.type must be one of ${kinds.join(', ')}, such as { "type": "bearer" }`,
    );
    return;
  }
  const fields: Record<string, string[]> = {
    bearer: ['type'],
    basic: ['type'],
    apiKey: ['type', 'in', 'name'],
    oauth2: ['type', 'tokenUrl', 'scopes'],
  };
  const known = fields[value.type as string]!;
  const secretLike = Object.keys(value).find(
    (key) => !known.includes(key) && /token|secret|password|key$|credential/i.test(key),
  );
  if (secretLike)
    add(
      `${at}${pointer(secretLike)}`,
      'credentials never go in the definition; they are given when the integration is connected',
    );
  unknownFields(value, known, at, `a ${value.type} auth`, add, secretLike);
  if (value.type === 'apiKey') {
    if (value.in !== 'header' && value.in !== 'query')
      add(`${at}/in`, 'an apiKey goes in "header" or "query"');
    if (typeof value.name !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value.name))
      add(
        `${at}/name`,
        'an apiKey needs the name of its header or query parameter, such as "X-Api-Key"',
      );
  }
  if (value.type === 'oauth2') {
    const problem = absoluteUrlProblem(value.tokenUrl, 'tokenUrl');
    if (problem) add(`${at}/tokenUrl`, problem);
    if (
      value.scopes !== undefined &&
      !(
        Array.isArray(value.scopes) &&
        value.scopes.every((scope) => typeof scope === 'string' && scope && !/\s/.test(scope))
      )
    )
      add(
        `${at}/scopes`,
        'scopes must be a list of scope names without spaces, such as ["contacts.read"]',
      );
  }
}

function checkEndpoints(endpoints: unknown, add: Add): void {
  if (!Array.isArray(endpoints) || endpoints.length === 0) {
    add('/endpoints', 'endpoints must be a non-empty list of { name, method, path }');
    return;
  }
  const names = new Map<string, number>();
  endpoints.forEach((endpoint, index) => {
    const at = `/endpoints/${index}`;
    if (!isRecord(endpoint)) {
      add(at, 'an endpoint must be an object with name, method and path');
      return;
    }
    unknownFields(endpoint, endpointFields, at, 'an endpoint', add);
    const name = endpoint.name;
    if (typeof name !== 'string' || !endpointNamePattern.test(name))
      add(
        `${at}/name`,
        `an endpoint's name is lower-case letters, digits and _, starting with a letter, at most 64 characters (such as "list_contacts"); got ${JSON.stringify(name)}`,
      );
    else if (names.has(name))
      add(`${at}/name`, `"${name}" is also the name of endpoint ${names.get(name)}`);
    else names.set(name, index);
    if (typeof endpoint.method !== 'string' || !methods.includes(endpoint.method.toUpperCase()))
      add(`${at}/method`, `method must be one of ${methods.join(', ')}`);
    const path = endpoint.path;
    if (typeof path !== 'string' || !path.startsWith('/')) {
      add(`${at}/path`, 'path must start with "/", such as "/contacts/{id}"');
    }
    if (endpoint.description !== undefined && typeof endpoint.description !== 'string')
      add(`${at}/description`, 'description must be a string');
    const params = endpoint.params ?? {};
    if (!isRecord(params)) add(`${at}/params`, 'params must be an object of parameters by name');
    else
      checkParams(
        params,
        typeof path === 'string' ? path : '',
        endpoint.body !== undefined,
        at,
        add,
      );
    if (endpoint.body !== undefined && !isRecord(endpoint.body))
      add(
        `${at}/body`,
        'body must be the JSON Schema of the request body, such as { "type": "object", "properties": { ... } }',
      );
    if (endpoint.bodyRequired !== undefined && typeof endpoint.bodyRequired !== 'boolean')
      add(`${at}/bodyRequired`, 'bodyRequired must be true or false');
  });
}

function checkParams(
  params: Record<string, unknown>,
  path: string,
  hasBody: boolean,
  at: string,
  add: Add,
): void {
  const template = templateNames(path);
  for (const [name, param] of Object.entries(params)) {
    const paramAt = `${at}/params${pointer(name)}`;
    if (!isRecord(param)) {
      add(
        paramAt,
        'a parameter is a JSON Schema with in, such as { "type": "string", "in": "query" }',
      );
      continue;
    }
    if (name === 'body' && hasBody)
      add(paramAt, '"body" is the name of the request body; rename the parameter');
    const where = param.in ?? 'query';
    if (!paramLocations.includes(where as string))
      add(`${paramAt}/in`, `in must be one of ${paramLocations.join(', ')}`);
    if (where === 'path' && !template.includes(name))
      add(`${paramAt}/in`, `"${name}" is a path parameter, but the path ${path} has no {${name}}`);
    if (param.required !== undefined && typeof param.required !== 'boolean')
      add(`${paramAt}/required`, 'required must be true or false');
    const type = param.type;
    const types = Array.isArray(type) ? type : [type];
    if (type !== undefined && !types.every((item) => schemaTypes.includes(item as string)))
      add(`${paramAt}/type`, `type must be one of ${schemaTypes.join(', ')}`);
  }
  for (const name of template) {
    const param = params[name];
    if (!isRecord(param) || param.in !== 'path')
      add(`${at}/path`, `the path has {${name}}, but params has no "${name}" with "in": "path"`);
  }
}

function checkHealthDefinition(health: unknown, add: Add): void {
  if (!isRecord(health)) {
    add('/health', 'health must be an object such as { "method": "GET", "path": "/health" }');
    return;
  }
  unknownFields(health, healthFields, '/health', 'health', add);
  if (health.method !== undefined && !['GET', 'HEAD'].includes(String(health.method).toUpperCase()))
    add('/health/method', 'a health check uses GET or HEAD');
  if (typeof health.path !== 'string' || !health.path.startsWith('/'))
    add('/health/path', 'path must start with "/", such as "/health"');
  const status = health.expectStatus;
  if (
    status !== undefined &&
    !(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599)
  )
    add('/health/expectStatus', 'expectStatus must be an HTTP status from 100 to 599');
}

function unknownFields(
  value: Record<string, unknown>,
  known: string[],
  at: string,
  what: string,
  add: Add,
  reported?: string,
) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key) && key !== reported)
      add(
        `${at}${pointer(key)}`,
        `unknown field "${key}"; ${what} has ${known.filter((field) => !field.startsWith('$')).join(', ')}`,
      );
  }
}

function absoluteUrlProblem(value: unknown, field: string): string | undefined {
  const example = `such as "https://api.example.com/v1"`;
  if (typeof value !== 'string')
    return `${field} must be an absolute http or https URL, ${example}`;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return `${field} must use http or https`;
    if (url.username || url.password)
      return `${field} must not contain a user name or password; use auth`;
    if (url.search || url.hash) return `${field} must not have a query or a fragment`;
  } catch {
    return `${field} "${value}" is not a valid URL, ${example}`;
  }
  return undefined;
}

/**
 * The operations of a checked definition (see {@link checkDefinition}), in the same shape as
 * an OpenAPI document's: the endpoint's name is the id, params default to `in: query`, path
 * params are required, `body` is a JSON body, and every operation uses the definition's auth.
 */
export function definitionOperations(definition: IntegrationDefinition): Operation[] {
  return definition.endpoints.map((endpoint) => {
    const method = endpoint.method.toUpperCase() as HttpMethod;
    const entries = Object.entries(endpoint.params ?? {}).map(([name, param]) => {
      const { in: where = 'query', required, ...schema } = param;
      return {
        name,
        in: where,
        required: where === 'path' || required === true,
        schema: schema as JsonSchema,
      };
    });
    const body = endpoint.body
      ? {
          required: endpoint.bodyRequired ?? true,
          contentType: 'application/json',
          schema: endpoint.body,
        }
      : undefined;
    const argumentNames = parameterArguments(entries, body !== undefined);
    const parameters: OperationParameter[] = entries.map((entry, index) => ({
      ...entry,
      argument: argumentNames[index]!,
    }));
    return {
      id: endpoint.name,
      method,
      path: endpoint.path,
      ...(endpoint.description ? { description: endpoint.description } : {}),
      parameters,
      ...(body ? { body } : {}),
      inputSchema: buildInputSchema(parameters, body),
      sideEffect: !isSafeMethod(method),
      ...(definition.auth ? { security: definition.auth } : {}),
      tags: [],
    };
  });
}
