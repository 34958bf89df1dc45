import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import AjvDraft07Import from 'ajv';
import Ajv2020Import from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { collapseSchemaErrors, describeSchemaError, errorPointer } from './schema-errors';

// ajv and ajv-formats are CommonJS: depending on the loader (Node ESM, Vitest, a bundler) the
// default import is either the export itself or a namespace holding it under `default`.
const interop = <T>(value: T): T => (value as T & { default?: T }).default ?? value;
/** The ajv class for draft 2020-12, whichever way the loader exposes CommonJS default exports. */
export const Ajv2020 = interop(Ajv2020Import);
const AjvDraft07 = interop(AjvDraft07Import);
const addFormats = interop(addFormatsImport);

type AjvInstance = InstanceType<typeof Ajv2020> | InstanceType<typeof AjvDraft07>;

/** The JSON Schema dialects tool and config schemas may use. */
export type SchemaDialect = '2020-12' | 'draft-07';

/** What a validator does besides checking: fill in `default` values (inputs, config) or not (outputs). */
export type SchemaMode = 'fill-defaults' | 'check-only';

/** One thing wrong with a schema or with a value, located by a JSON pointer. */
export interface SchemaIssue {
  /** JSON pointer into the schema (for a bad schema) or into the value (for a bad value). */
  path: string;
  /** The ajv keyword that failed (`type`, `required`, ...), or `compile` when the schema did not compile. */
  keyword: string;
  message: string;
}

const baseOptions: Options = {
  allErrors: true,
  verbose: true,
  // Skill authors add annotations such as `x-order` or `examples`; the meta-schema check is the judge.
  strict: false,
  logger: false,
  // Two skills may use the same `$id` in their schemas; keep each compiled schema to itself.
  addUsedSchema: false,
};

const instances = new Map<string, AjvInstance>();

function ajvFor(dialect: SchemaDialect, mode: SchemaMode): AjvInstance {
  const key = `${dialect}:${mode}`;
  let ajv = instances.get(key);
  if (!ajv) {
    const options: Options = { ...baseOptions, useDefaults: mode === 'fill-defaults' };
    ajv = dialect === '2020-12' ? new Ajv2020(options) : new AjvDraft07(options);
    addFormats(ajv);
    instances.set(key, ajv);
  }
  return ajv;
}

const metaSchemas: Record<SchemaDialect, string> = {
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
  'draft-07': 'http://json-schema.org/draft-07/schema#',
};

/** The dialect a schema declares with `$schema` (2020-12 when it declares none), or undefined when unsupported. */
export function schemaDialect(schema: Record<string, unknown>): SchemaDialect | undefined {
  const declared = schema.$schema;
  if (declared === undefined) return '2020-12';
  if (typeof declared !== 'string') return undefined;
  if (/^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/.test(declared)) return '2020-12';
  if (/^https?:\/\/json-schema\.org\/draft-07\/schema#?$/.test(declared)) return 'draft-07';
  return undefined;
}

const compiled = new Map<SchemaMode, WeakMap<object, ValidateFunction>>([
  ['fill-defaults', new WeakMap()],
  ['check-only', new WeakMap()],
]);

/**
 * Checks that `schema` is a JSON Schema (draft 2020-12, or draft-07 when its `$schema` says so)
 * against its meta-schema, then compiles it. Returns every issue found, and the validator when
 * there were none. Compiled validators are cached per schema object, so checking at start-up
 * and validating at call time compile once.
 */
export function checkJsonSchema(
  schema: unknown,
  mode: SchemaMode = 'fill-defaults',
): { validate?: ValidateFunction; issues: SchemaIssue[] } {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return {
      issues: [{ path: '', keyword: 'type', message: 'a JSON Schema must be a JSON object' }],
    };
  }
  const cache = compiled.get(mode)!;
  const cached = cache.get(schema);
  if (cached) return { validate: cached, issues: [] };

  const record = schema as Record<string, unknown>;
  const dialect = schemaDialect(record);
  if (!dialect) {
    return {
      issues: [
        {
          path: '/$schema',
          keyword: 'enum',
          message: `$schema ${JSON.stringify(record.$schema)} is not supported; use https://json-schema.org/draft/2020-12/schema (the default) or http://json-schema.org/draft-07/schema#`,
        },
      ],
    };
  }
  const ajv = ajvFor(dialect, mode);
  // `$schema` spellings differ (http or https, with or without `#`); ajv knows one of each.
  const canonical =
    record.$schema === undefined ? record : { ...record, $schema: metaSchemas[dialect] };
  try {
    // The meta-schema check never fills in defaults, so the skill's own schema object stays as written.
    const checker = ajvFor(dialect, 'check-only');
    if (!checker.validateSchema(canonical)) {
      return { issues: describeErrors(checker.errors ?? [], 'schema') };
    }
    const validate = ajv.compile(canonical);
    cache.set(schema, validate);
    return { validate, issues: [] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      issues: [
        { path: '', keyword: 'compile', message: `the schema does not compile: ${message}` },
      ],
    };
  }
}

/**
 * Compiles a schema that {@link checkJsonSchema} already accepted; throws with every issue otherwise.
 */
export function compileJsonSchema(
  schema: unknown,
  mode: SchemaMode = 'fill-defaults',
): ValidateFunction {
  const { validate, issues } = checkJsonSchema(schema, mode);
  if (!validate)
    throw new Error(issues.map((issue) => `${issue.path || '/'}: ${issue.message}`).join('; '));
  return validate;
}

/** Turns ajv's errors into one readable issue per mistake, naming values with `rootLabel` at the root. */
export function describeErrors(errors: readonly ErrorObject[], rootLabel: string): SchemaIssue[] {
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const error of collapseSchemaErrors(errors)) {
    const issue = {
      path: errorPointer(error),
      keyword: error.keyword,
      message: describeSchemaError(error, rootLabel),
    };
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/**
 * Checks a value against a JSON Schema with the same validator as tool arguments (compiled
 * once per schema object and cached): the value, typed, when it fits; else every issue, with
 * values named `label` at the root. Nothing is filled in or changed. Pair it with
 * `JsonSchemaType` to write a request body's shape once:
 *
 * @example
 * const body = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } as const;
 * const parsed = parseWithSchema<JsonSchemaType<typeof body>>(body, await request.json(), 'body');
 * if (!parsed.ok) return problem(parsed.issues);
 * parsed.value.name; // string
 */
export function parseWithSchema<T>(
  schema: object,
  value: unknown,
  label = 'value',
): { ok: true; value: T } | { ok: false; issues: SchemaIssue[] } {
  const validate = compileJsonSchema(schema, 'check-only');
  if (validate(value)) return { ok: true, value: value as T };
  return { ok: false, issues: describeErrors(validate.errors ?? [], label) };
}
