/** A JSON Schema, as plain data. */
export type JsonSchema = Record<string, unknown>;

/** The HTTP methods an operation may use. */
export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';

/** Where a parameter travels. */
export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** One parameter of an {@link Operation}. */
export interface OperationParameter {
  /** The name on the wire: the path template's `{name}`, the query key, the header or cookie name. */
  name: string;
  in: ParameterLocation;
  required: boolean;
  /** Its JSON Schema, with every `$ref` inlined. */
  schema: JsonSchema;
  /**
   * The property of `inputSchema` that carries it: `name`, unless another parameter already
   * has that name (see {@link parameterArguments}).
   */
  argument: string;
}

/** The request body of an {@link Operation}. */
export interface OperationBody {
  required: boolean;
  /** The media type it is sent as, such as `application/json`. */
  contentType: string;
  /** Its JSON Schema, with every `$ref` inlined and read-only properties left out. */
  schema: JsonSchema;
}

/**
 * How an API is authenticated. The credential values never appear here; they are passed
 * at call time (see `Credentials` in execute.ts).
 *
 * @example
 * { type: 'apiKey', in: 'header', name: 'X-Api-Key' }
 * { type: 'oauth2', tokenUrl: 'https://auth.example.com/token', scopes: ['read'] }
 */
export type AuthScheme =
  | { type: 'bearer' }
  | { type: 'apiKey'; in: 'header' | 'query'; name: string }
  | { type: 'basic' }
  | { type: 'oauth2'; tokenUrl: string; scopes?: string[] };

/** One callable operation of an API: from an OpenAPI document or from a small definition. */
export interface Operation {
  /** A tool-friendly name: `[a-z0-9_]`, unique within its API, at most 64 characters. */
  id: string;
  method: HttpMethod;
  /** The path template, such as `/pets/{petId}`. */
  path: string;
  summary?: string;
  description?: string;
  parameters: OperationParameter[];
  body?: OperationBody;
  /**
   * The JSON Schema of the arguments: one property per parameter (named by its `argument`),
   * plus `body` when the operation takes one.
   */
  inputSchema: JsonSchema;
  /** True unless the method is GET, HEAD or OPTIONS. */
  sideEffect: boolean;
  /** The auth the operation needs, or undefined when it needs none. */
  security?: AuthScheme;
  /** The document's tags of the operation (empty for definitions). */
  tags: string[];
}

const safeMethods = new Set<HttpMethod>(['GET', 'HEAD', 'OPTIONS']);

/** True for GET, HEAD and OPTIONS. */
export function isSafeMethod(method: HttpMethod): boolean {
  return safeMethods.has(method);
}

/** The methods whose requests may be repeated without changing the outcome. */
export function isIdempotentMethod(method: HttpMethod): boolean {
  return safeMethods.has(method) || method === 'PUT' || method === 'DELETE';
}

/** The `{name}` placeholders of a path template, in order. */
export function templateNames(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1]!);
}

const argumentPriority: ParameterLocation[] = ['path', 'query', 'header', 'cookie'];

/**
 * Chooses the `inputSchema` property of each parameter. Path, then query, then header, then
 * cookie parameters claim their own name; a parameter whose name is already taken (or is
 * `body` when the operation has a body) gets its location as a prefix (`header_X-Id`,
 * `query_id`), and `_2`, `_3`... if that is taken too. Returns the names in the parameters'
 * order.
 */
export function parameterArguments(
  parameters: ReadonlyArray<{ name: string; in: ParameterLocation }>,
  hasBody: boolean,
): string[] {
  const taken = new Set<string>(hasBody ? ['body'] : []);
  const chosen = new Array<string>(parameters.length);
  for (const location of argumentPriority) {
    parameters.forEach((parameter, index) => {
      if (parameter.in !== location) return;
      let name = taken.has(parameter.name) ? `${location}_${parameter.name}` : parameter.name;
      for (let suffix = 2; taken.has(name); suffix++)
        name = `${location}_${parameter.name}_${suffix}`;
      taken.add(name);
      chosen[index] = name;
    });
  }
  return chosen;
}

/**
 * The `inputSchema` of an operation: an object with one property per parameter and `body`,
 * the required ones listed, nothing else allowed.
 */
export function buildInputSchema(
  parameters: ReadonlyArray<OperationParameter>,
  body: OperationBody | undefined,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const parameter of parameters) {
    properties[parameter.argument] = parameter.schema;
    if (parameter.required) required.push(parameter.argument);
  }
  if (body) {
    properties.body = body.schema;
    if (body.required) required.push('body');
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

/**
 * Words in snake_case: `getPetById` → `get_pet_by_id`, `HTTPServer-list` → `http_server_list`.
 */
export function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Makes operation ids unique and short: the first keeps its id, later ones get `_2`, `_3`...;
 * every id is cut to `maxLength` characters (suffix included).
 */
export function uniqueIds(ids: readonly string[], maxLength = 64): string[] {
  const taken = new Set<string>();
  return ids.map((wanted) => {
    const base = (wanted || 'operation').slice(0, maxLength).replace(/_+$/, '') || 'operation';
    let id = base;
    for (let suffix = 2; taken.has(id); suffix++) {
      const tail = `_${suffix}`;
      id = `${base.slice(0, maxLength - tail.length).replace(/_+$/, '')}${tail}`;
    }
    taken.add(id);
    return id;
  });
}
