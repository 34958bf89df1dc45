import { parse, YAMLParseError } from 'yaml';
import { integrationError } from './integration-errors';
import { dereference, isRecord, pointer } from './json-pointer';
import { operationMethods } from './openapi-check';
import { openApiSchemaToJsonSchema } from './openapi-schema';
import { chooseSecurity, effectiveSecurity } from './openapi-security';
import {
  buildInputSchema,
  type HttpMethod,
  isSafeMethod,
  type JsonSchema,
  type Operation,
  type OperationBody,
  type OperationParameter,
  type ParameterLocation,
  parameterArguments,
  snakeCase,
  templateNames,
  uniqueIds,
} from './operation';

export { checkOpenApi, type DocumentProblem } from './openapi-check';
export { documentBaseUrl } from './server-url';

/**
 * Reads an OpenAPI document (or a definition) written as JSON or YAML. A syntax error throws
 * a BotwireError whose message names the line and column (also in `details.line` and
 * `details.column`, counted from 1).
 *
 * @example
 * const document = parseDocument(await readFile('openapi.yaml', 'utf8'));
 */
export function parseDocument(text: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const offset = text.length - trimmed.length;
      const position = /position (\d+)/.exec(message);
      const at = position ? offset + Number(position[1]) : text.length;
      const { line, column } = lineAndColumn(text, at);
      throw syntaxError(
        'JSON',
        message.replace(/\s*\(line \d+ column \d+\)$/, ''),
        line,
        column,
        error,
      );
    }
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    const where = error instanceof YAMLParseError ? error.linePos?.[0] : undefined;
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw syntaxError(
      'YAML',
      message.replace(/ at line \d+, column \d+:?$/, ''),
      where?.line ?? 1,
      where?.col ?? 1,
      error,
    );
  }
  if (containsItself(value))
    throw integrationError(
      'BOTWIRE_INTEGRATION_INVALID',
      'The YAML document contains itself through an alias (&anchor ... *anchor); write the repeated part out or use a $ref.',
    );
  return value;
}

function syntaxError(kind: string, message: string, line: number, column: number, cause: unknown) {
  return integrationError(
    'BOTWIRE_INTEGRATION_INVALID',
    `The document is not valid ${kind}: ${message} at line ${line}, column ${column}.`,
    { details: { line, column }, cause },
  );
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

function containsItself(value: unknown): boolean {
  const active = new Set<object>();
  const visit = (item: unknown): boolean => {
    if (typeof item !== 'object' || item === null) return false;
    if (active.has(item)) return true;
    active.add(item);
    const found = Object.values(item).some(visit);
    active.delete(item);
    return found;
  };
  return visit(value);
}

/** Options for {@link listOperations}. */
export interface ListOperationsOptions {
  /** Only operations with at least one of these tags. */
  tags?: string[];
  /** The longest id, so a caller can add a prefix and stay within a limit. Default 64. */
  maxIdLength?: number;
  /** The most schema objects one parameter or body expands to (see openApiSchemaToJsonSchema). */
  maxSchemaNodes?: number;
}

interface RawParameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  schema: JsonSchema;
}

const locations = new Set<string>(['path', 'query', 'header', 'cookie']);

/**
 * The operations of an OpenAPI 3.x document, one per path and method (get, put, post,
 * delete, patch, head, options), in document order. Ids are the operationId in snake_case
 * (`getPetById` → `get_pet_by_id`), or the method and the path's words when there is none
 * (`GET /pets/{id}` → `get_pets_by_id`), made unique with `_2`, `_3`... Parameters of the path
 * item and the operation are merged (the operation's win); a `{name}` of the path template
 * without a parameter becomes a required string. Check the document with `checkOpenApi` first:
 * this function skips what it cannot use rather than failing.
 *
 * @example
 * const [getPet] = listOperations(document).filter((operation) => operation.id === 'get_pet_by_id');
 * getPet.inputSchema; // { type: 'object', properties: { petId: { type: 'integer' } }, required: ['petId'], ... }
 */
export function listOperations(
  document: unknown,
  options: ListOperationsOptions = {},
): Operation[] {
  if (!isRecord(document) || !isRecord(document.paths)) return [];
  const drafts: Array<{ wanted: string; operation: Omit<Operation, 'id'> }> = [];
  const convert = (schema: unknown) =>
    openApiSchemaToJsonSchema(schema, document, {
      ...(options.maxSchemaNodes ? { maxNodes: options.maxSchemaNodes } : {}),
    });
  for (const [path, raw] of Object.entries(document.paths)) {
    if (!path.startsWith('/')) continue;
    const item = dereference(document, raw, pointer('paths', path))?.value;
    if (!isRecord(item)) continue;
    const shared = readParameters(document, item.parameters, convert);
    for (const method of operationMethods) {
      const source = item[method];
      if (!isRecord(source)) continue;
      const own = readParameters(document, source.parameters, convert);
      const merged = [
        ...shared.filter(
          (outer) => !own.some((inner) => inner.name === outer.name && inner.in === outer.in),
        ),
        ...own,
      ];
      for (const name of templateNames(path)) {
        if (!merged.some((parameter) => parameter.in === 'path' && parameter.name === name))
          merged.push({ name, in: 'path', required: true, schema: { type: 'string' } });
      }
      const body = readBody(document, source.requestBody, convert);
      const argumentNames = parameterArguments(merged, body !== undefined);
      const parameters: OperationParameter[] = merged.map((parameter, index) => ({
        ...parameter,
        argument: argumentNames[index]!,
      }));
      const upper = method.toUpperCase() as HttpMethod;
      const security = chooseSecurity(document, effectiveSecurity(document, source)).auth;
      const text = (value: unknown) =>
        typeof value === 'string' && value.trim() ? value : undefined;
      const summary = text(source.summary) ?? text(item.summary);
      const description = text(source.description) ?? text(item.description);
      drafts.push({
        wanted:
          (typeof source.operationId === 'string' && snakeCase(source.operationId)) ||
          pathOperationId(upper, path),
        operation: {
          method: upper,
          path,
          ...(summary ? { summary } : {}),
          ...(description ? { description } : {}),
          parameters,
          ...(body ? { body } : {}),
          inputSchema: buildInputSchema(parameters, body),
          sideEffect: !isSafeMethod(upper),
          ...(security ? { security } : {}),
          tags: Array.isArray(source.tags)
            ? source.tags.filter((tag): tag is string => typeof tag === 'string')
            : [],
        },
      });
    }
  }
  const ids = uniqueIds(
    drafts.map((draft) => draft.wanted),
    options.maxIdLength,
  );
  const operations = drafts.map((draft, index) => ({ id: ids[index]!, ...draft.operation }));
  const tags = options.tags;
  return tags
    ? operations.filter((operation) => operation.tags.some((tag) => tags.includes(tag)))
    : operations;
}

/** The id of an operation without an operationId: `GET /pets/{id}` → `get_pets_by_id`. */
export function pathOperationId(method: HttpMethod, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const whole = /^\{([^{}]+)\}$/.exec(segment);
      return whole ? `by_${snakeCase(whole[1]!)}` : snakeCase(segment);
    })
    .filter(Boolean);
  return [method.toLowerCase(), ...words].join('_');
}

function readParameters(
  document: Record<string, unknown>,
  parameters: unknown,
  convert: (schema: unknown) => JsonSchema,
): RawParameter[] {
  if (!Array.isArray(parameters)) return [];
  const result: RawParameter[] = [];
  for (const raw of parameters) {
    const parameter = dereference(document, raw, '')?.value;
    if (!isRecord(parameter) || typeof parameter.name !== 'string' || !parameter.name) continue;
    if (typeof parameter.in !== 'string' || !locations.has(parameter.in)) continue;
    const where = parameter.in as ParameterLocation;
    if (result.some((other) => other.name === parameter.name && other.in === where)) continue;
    let source: unknown = parameter.schema;
    if (source === undefined && isRecord(parameter.content)) {
      const media = Object.values(parameter.content)[0];
      source = isRecord(media) ? media.schema : undefined;
    }
    const schema = convert(source ?? { type: 'string' });
    if (typeof parameter.description === 'string' && schema.description === undefined)
      schema.description = parameter.description;
    if (parameter.deprecated === true) schema.deprecated = true;
    result.push({
      name: parameter.name,
      in: where,
      required: where === 'path' || parameter.required === true,
      schema,
    });
  }
  return result;
}

/** Media types in the order a body is sent as, when an operation accepts several. */
const preferredMediaTypes: Array<(type: string) => boolean> = [
  (type) => type === 'application/json',
  (type) => /^application\/[\w.+-]*\+json$/.test(type) || type.endsWith('/json'),
  (type) => type === 'application/x-www-form-urlencoded',
  (type) => type.startsWith('text/'),
  () => true,
];

function readBody(
  document: Record<string, unknown>,
  requestBody: unknown,
  convert: (schema: unknown) => JsonSchema,
): OperationBody | undefined {
  const body = dereference(document, requestBody, '')?.value;
  if (!isRecord(body) || !isRecord(body.content)) return undefined;
  const entries = Object.entries(body.content).map(
    ([type, media]) => [type.split(';')[0]!.trim().toLowerCase(), media] as const,
  );
  for (const preferred of preferredMediaTypes) {
    const found = entries.find(([type]) => preferred(type));
    if (!found) continue;
    const [contentType, media] = found;
    const fallback = contentType.startsWith('text/') ? { type: 'string' } : {};
    const schema = convert(isRecord(media) && media.schema !== undefined ? media.schema : fallback);
    if (typeof body.description === 'string' && schema.description === undefined)
      schema.description = body.description;
    return { required: body.required === true, contentType, schema };
  }
  return undefined;
}
