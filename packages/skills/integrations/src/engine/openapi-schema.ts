import { isRecord, resolveLocalRef } from './json-pointer';
import type { JsonSchema } from './operation';

/** Options for {@link openApiSchemaToJsonSchema}. */
export interface SchemaConversionOptions {
  /** Leave out `readOnly` properties (the schema describes a request). Default true. */
  request?: boolean;
  /**
   * The most schema objects one conversion writes, references expanded; past it, a reference
   * becomes `{}` with a description. Default 5000.
   */
  maxNodes?: number;
}

/** Keywords whose value is one schema. */
const singleSchemaKeywords = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
/** Keywords whose value is a list of schemas. */
const schemaListKeywords = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value maps names to schemas. */
const schemaMapKeywords = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
]);
/** OpenAPI-only keywords, and identifiers that would clash once a schema is inlined twice. */
const droppedKeywords = new Set([
  'nullable',
  'example',
  'xml',
  'discriminator',
  'externalDocs',
  'readOnly',
  '$id',
  '$schema',
  '$anchor',
  '$dynamicAnchor',
  '$dynamicRef',
  '$recursiveRef',
  '$recursiveAnchor',
  '$comment',
]);
/** Keywords that only describe; they may sit beside an inlined reference without `allOf`. */
const annotationKeywords = new Set([
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'writeOnly',
]);

interface ConversionState {
  document: unknown;
  request: boolean;
  nodes: number;
  maxNodes: number;
}

const maxReferenceDepth = 32;

/**
 * Turns an OpenAPI 3.0 or 3.1 schema into a plain JSON Schema (draft 2020-12 subset) that
 * Ajv compiles: every local `$ref` is inlined (a reference to a schema that is already being
 * expanded, a cycle, becomes `{}` with a description, and so does a remote reference),
 * `nullable: true` adds `"null"` to the type, OpenAPI 3.0's boolean `exclusiveMinimum` and
 * `exclusiveMaximum` become numbers, `example`, `xml`, `discriminator`, `externalDocs` and
 * `x-` extensions are dropped, and for requests `readOnly` properties are left out
 * (`writeOnly` ones stay).
 *
 * @example
 * openApiSchemaToJsonSchema({ $ref: '#/components/schemas/Pet' }, document);
 * // { type: 'object', properties: { name: { type: 'string' }, ... }, required: ['name'] }
 */
export function openApiSchemaToJsonSchema(
  schema: unknown,
  document: unknown,
  options: SchemaConversionOptions = {},
): JsonSchema {
  const state: ConversionState = {
    document,
    request: options.request ?? true,
    nodes: 0,
    maxNodes: options.maxNodes ?? 5000,
  };
  const converted = convert(schema, state, []);
  if (converted === true) return {};
  if (converted === false) return { not: {} };
  return converted;
}

function convert(schema: unknown, state: ConversionState, stack: string[]): JsonSchema | boolean {
  if (typeof schema === 'boolean') return schema;
  if (!isRecord(schema)) return {};
  // The budget also ends recursion through objects that contain themselves (YAML aliases).
  if (++state.nodes > state.maxNodes)
    return { description: 'Not expanded: the schema is too large.' };
  let base: JsonSchema | boolean | undefined;
  if (typeof schema.$ref === 'string') base = inline(schema.$ref, state, stack);
  const own: JsonSchema = {};
  let removed: Set<string> | undefined;
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' || droppedKeywords.has(key) || key.startsWith('x-')) continue;
    if (singleSchemaKeywords.has(key)) {
      own[key] = Array.isArray(value)
        ? value.map((item) => convert(item, state, stack))
        : convert(value, state, stack);
    } else if (schemaListKeywords.has(key) && Array.isArray(value)) {
      own[key] = value.map((item) => convert(item, state, stack));
    } else if (schemaMapKeywords.has(key) && isRecord(value)) {
      const map: Record<string, JsonSchema | boolean> = {};
      for (const [name, item] of Object.entries(value)) {
        if (key === 'properties' && state.request && isReadOnly(item, state.document)) {
          removed ??= new Set();
          removed.add(name);
          continue;
        }
        map[name] = convert(item, state, stack);
      }
      own[key] = map;
    } else if (key === 'exclusiveMinimum' || key === 'exclusiveMaximum') {
      const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
      if (typeof value === 'number') own[key] = value;
      else if (value === true && typeof schema[bound] === 'number') own[key] = schema[bound];
    } else {
      own[key] = value;
    }
  }
  // OpenAPI 3.0 writes `minimum: 1, exclusiveMinimum: true`; the number moved above.
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (schema[flag] === true && typeof schema[bound] === 'number') delete own[bound];
  }
  if (removed && Array.isArray(own.required))
    own.required = own.required.filter((name) => !removed.has(String(name)));
  let result: JsonSchema | boolean = own;
  if (base !== undefined) {
    const keys = Object.keys(own);
    if (keys.length === 0) result = base;
    else if (typeof base === 'object' && keys.every((key) => annotationKeywords.has(key)))
      result = { ...base, ...own };
    else result = { allOf: [base], ...own };
  }
  return schema.nullable === true ? nullable(result) : result;
}

function inline(ref: string, state: ConversionState, stack: string[]): JsonSchema {
  if (!ref.startsWith('#'))
    return { description: `Not checked: the remote reference ${ref} is not supported.` };
  if (stack.includes(ref))
    return { description: `Recursive reference to ${ref}; it is not expanded again here.` };
  if (stack.length >= maxReferenceDepth)
    return { description: `Not expanded: ${ref} nests too deeply.` };
  const target = resolveLocalRef(state.document, ref);
  if (target === undefined) return { description: `Unresolvable reference ${ref}.` };
  const converted = convert(target, state, [...stack, ref]);
  if (converted === true) return {};
  if (converted === false) return { not: {} };
  return converted;
}

function nullable(schema: JsonSchema | boolean): JsonSchema | boolean {
  if (typeof schema === 'boolean') return schema;
  const result = { ...schema };
  if (Array.isArray(result.enum) && !result.enum.includes(null))
    result.enum = [...result.enum, null];
  if (typeof result.type === 'string') {
    result.type = result.type === 'null' ? 'null' : [result.type, 'null'];
    return result;
  }
  if (Array.isArray(result.type)) {
    if (!result.type.includes('null')) result.type = [...result.type, 'null'];
    return result;
  }
  return { anyOf: [result, { type: 'null' }] };
}

/** True when a property schema, or what its `$ref` chain points at, is `readOnly: true`. */
export function isReadOnly(schema: unknown, document: unknown): boolean {
  let current = schema;
  for (let depth = 0; depth < maxReferenceDepth && isRecord(current); depth++) {
    if (current.readOnly === true) return true;
    if (typeof current.$ref !== 'string') return false;
    current = resolveLocalRef(document, current.$ref);
  }
  return false;
}
