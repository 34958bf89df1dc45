import type { ErrorObject, ValidateFunction } from 'ajv';
import manifestSchema from '../../skill.schema.json';
import type { Problem } from '../errors/botwire-error';
import type { ProblemCode } from '../errors/error-catalog';
import { checkJsonSchema, createAjv2020, type SchemaMode } from './json-schema';
import {
  closestNames,
  collapseSchemaErrors,
  describeSchemaError,
  describeValue,
  errorPointer,
} from './schema-errors';
import { permissions } from './skill-manifest';

/** The JSON Schema of `skill.json`, as published at `@botwire/core/skill.schema.json`. */
export const skillManifestSchema: Record<string, unknown> = manifestSchema;

let manifestValidator: ValidateFunction | undefined;

function getManifestValidator(): ValidateFunction {
  manifestValidator ??= createAjv2020({ allErrors: true, verbose: true, logger: false }).compile(
    manifestSchema,
  );
  return manifestValidator;
}

const codeByKeyword: Record<string, ProblemCode> = {
  required: 'BOTWIRE_MANIFEST_FIELD_MISSING',
  type: 'BOTWIRE_MANIFEST_FIELD_TYPE',
  pattern: 'BOTWIRE_MANIFEST_FIELD_PATTERN',
  enum: 'BOTWIRE_MANIFEST_FIELD_ENUM',
  additionalProperties: 'BOTWIRE_MANIFEST_FIELD_UNKNOWN',
};

/** `get weather!` → `get_weather`: what a name could be instead. */
const snakeCase = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '');

/** Every JSON pointer with its array indexes replaced by `*`: `/tools/3/name` → `/tools/*\/name`. */
const shapeOf = (path: string) => path.replace(/\/\d+(?=\/|$)/g, '/*');

function nameAt(value: unknown, list: 'tools' | 'commands', index: string): string | undefined {
  const items = (value as Record<string, unknown>)[list];
  const item = Array.isArray(items)
    ? (items[Number(index)] as Record<string, unknown> | undefined)
    : undefined;
  return typeof item?.name === 'string' ? item.name : undefined;
}

function describeManifestError(
  error: ErrorObject,
  value: unknown,
): { code: ProblemCode; message: string } {
  const path = errorPointer(error);
  const shape = shapeOf(path);
  const got = describeValue(error.data);
  const code = codeByKeyword[error.keyword] ?? 'BOTWIRE_MANIFEST_FIELD_INVALID';
  const owner = /^\/(tools|commands)\/(\d+)\//.exec(path);
  const ownerName = owner ? nameAt(value, owner[1] as 'tools' | 'commands', owner[2]!) : undefined;
  const prefix = ownerName ? `${owner![1] === 'tools' ? 'tool' : 'command'} "${ownerName}": ` : '';
  const generic = describeSchemaError(error, 'skill.json');

  if (error.keyword === 'pattern') {
    const text = String(error.data);
    if (shape === '/name') {
      return {
        code,
        message: `skill name ${got} must be kebab-case: lower-case letters, digits and single hyphens, starting with a letter, such as web-search`,
      };
    }
    if (shape === '/version') {
      return { code, message: `version ${got} is not a semantic version such as 1.0.0` };
    }
    if (shape === '/tools/*/name' || shape === '/commands/*/name') {
      const kind = shape.startsWith('/tools') ? 'tool' : 'command';
      const suggestion = snakeCase(text);
      const instead = suggestion && suggestion !== text ? ` (such as "${suggestion}")` : '';
      return {
        code,
        message: `${kind} name ${got} must match ${String(error.params.pattern)}: lower-case letters, digits and _ only, starting with a letter, no spaces${instead}`,
      };
    }
  }
  if (error.keyword === 'enum' && shape === '/tools/*/permissions/*') {
    const close = closestNames(String(error.data), permissions, 1);
    const hint = close.length ? ` (did you mean "${close[0]}"?)` : '';
    return {
      code,
      message: `${prefix}permission ${got} is unknown${hint}; use one of ${permissions.join(', ')}`,
    };
  }
  if (
    shape === '/tools/*/input_schema/type' ||
    (shape === '/tools/*/input_schema' && path.endsWith('/type'))
  ) {
    const what = error.keyword === 'required' ? 'has no "type"' : `has "type": ${got}`;
    return {
      code: 'BOTWIRE_MANIFEST_INPUT_SCHEMA_INVALID',
      message: `${prefix}input_schema ${what}; it must be a JSON Schema with "type": "object" at the top, because a tool's arguments are always an object`,
    };
  }
  if (shape === '/tools' && error.keyword === 'minItems') {
    return { code, message: 'a skill must declare at least one tool in "tools"' };
  }
  if (shape === '/tools/*/timeout_ms' && error.keyword !== 'required') {
    return {
      code,
      message: `${prefix}timeout_ms must be a whole number of milliseconds from 1 to 600000 (10 minutes), got ${got}`,
    };
  }
  if (shape === '/commands/*/description' && error.keyword === 'type') {
    return {
      code,
      message: `${prefix}description must be a string or texts by language tag with an English one, such as { "en": "...", "de": "..." }, got ${got}`,
    };
  }
  if (path === '' && error.keyword === 'type') {
    return { code, message: `skill.json must contain a JSON object, got ${got}` };
  }
  // Inside a named tool or command the prefix says which one: `tool "x": timeout_ms must be ...`.
  const ownerLabel = owner ? `${owner[1]}[${owner[2]}].` : '';
  const local =
    ownerName && generic.startsWith(ownerLabel) ? generic.slice(ownerLabel.length) : generic;
  return { code, message: `${prefix}${local}` };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function schemaProblems(
  schema: unknown,
  path: string,
  code: ProblemCode,
  what: string,
  mode: SchemaMode,
): Problem[] {
  if (!isRecord(schema)) return [];
  return checkJsonSchema(schema, mode).issues.map((issue) => ({
    path: `${path}${issue.path}`,
    code,
    message: `${what} is not a valid JSON Schema: ${issue.message}`,
  }));
}

/** Checks what the JSON Schema of skill.json cannot say: uniqueness, references, nested schemas. */
function semanticProblems(manifest: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const tools = Array.isArray(manifest.tools) ? manifest.tools : [];
  const toolsByName = new Map<string, { index: number; tool: Record<string, unknown> }>();

  tools.forEach((tool, index) => {
    if (!isRecord(tool)) return;
    const name = typeof tool.name === 'string' ? tool.name : undefined;
    const label = name ? `tool "${name}"` : `tools[${index}]`;
    if (name !== undefined) {
      const first = toolsByName.get(name);
      if (first) {
        problems.push({
          path: `/tools/${index}/name`,
          code: 'BOTWIRE_MANIFEST_DUPLICATE_TOOL',
          message: `tool name "${name}" is used by tools[${first.index}] and tools[${index}]; every tool needs its own name`,
        });
      } else {
        toolsByName.set(name, { index, tool });
      }
    }
    problems.push(
      ...schemaProblems(
        tool.input_schema,
        `/tools/${index}/input_schema`,
        'BOTWIRE_MANIFEST_INPUT_SCHEMA_INVALID',
        `the input_schema of ${label}`,
        'fill-defaults',
      ),
      ...schemaProblems(
        tool.output_schema,
        `/tools/${index}/output_schema`,
        'BOTWIRE_MANIFEST_OUTPUT_SCHEMA_INVALID',
        `the output_schema of ${label}`,
        'check-only',
      ),
    );
  });

  const commands = Array.isArray(manifest.commands) ? manifest.commands : [];
  const commandIndexes = new Map<string, number>();
  commands.forEach((command, index) => {
    if (!isRecord(command)) return;
    const name = typeof command.name === 'string' ? command.name : undefined;
    const label = name ? `command "/${name}"` : `commands[${index}]`;
    if (name !== undefined) {
      const first = commandIndexes.get(name);
      if (first !== undefined) {
        problems.push({
          path: `/commands/${index}/name`,
          code: 'BOTWIRE_MANIFEST_DUPLICATE_COMMAND',
          message: `command name "/${name}" is used by commands[${first}] and commands[${index}]; every command needs its own name`,
        });
      } else {
        commandIndexes.set(name, index);
      }
    }
    if (typeof command.conversation === 'string') {
      const listed = Array.isArray(manifest.conversations) ? manifest.conversations : [];
      if (!listed.includes(command.conversation))
        problems.push({
          path: `/commands/${index}/conversation`,
          code: 'BOTWIRE_MANIFEST_COMMAND_CONVERSATION_UNKNOWN',
          message: `${label} starts conversation "${command.conversation}", which is not listed in "conversations"${listed.length ? ` (listed: ${listed.join(', ')})` : ''}`,
        });
    }
    if (typeof command.tool !== 'string') return;
    const target = toolsByName.get(command.tool);
    if (!target) {
      const close = closestNames(command.tool, toolsByName.keys(), 1);
      const hint = close.length ? ` (did you mean "${close[0]}"?)` : '';
      const declared = toolsByName.size
        ? `; declared tools: ${[...toolsByName.keys()].join(', ')}`
        : '';
      problems.push({
        path: `/commands/${index}/tool`,
        code: 'BOTWIRE_MANIFEST_COMMAND_TOOL_UNKNOWN',
        message: `${label} runs tool "${command.tool}", which this skill.json does not declare${hint}${declared}`,
      });
      return;
    }
    if (typeof command.argument !== 'string') return;
    const inputSchema = target.tool.input_schema;
    const properties =
      isRecord(inputSchema) && isRecord(inputSchema.properties) ? inputSchema.properties : {};
    if (!Object.hasOwn(properties, command.argument)) {
      const known = Object.keys(properties);
      problems.push({
        path: `/commands/${index}/argument`,
        code: 'BOTWIRE_MANIFEST_COMMAND_ARGUMENT_UNKNOWN',
        message: `${label} passes its text to "${command.argument}", but the input_schema of tool "${command.tool}" has no such property${known.length ? `; its properties: ${known.join(', ')}` : ''}`,
      });
    }
  });

  const patterns = Array.isArray(manifest.patterns) ? manifest.patterns : [];
  patterns.forEach((pattern, index) => {
    if (!isRecord(pattern) || typeof pattern.conversation !== 'string') return;
    const listed = Array.isArray(manifest.conversations) ? manifest.conversations : [];
    if (!listed.includes(pattern.conversation))
      problems.push({
        path: `/patterns/${index}/conversation`,
        code: 'BOTWIRE_MANIFEST_COMMAND_CONVERSATION_UNKNOWN',
        message: `patterns[${index}] starts conversation "${pattern.conversation}", which is not listed in "conversations"${listed.length ? ` (listed: ${listed.join(', ')})` : ''}`,
      });
  });
  patterns.forEach((pattern, index) => {
    if (!isRecord(pattern) || typeof pattern.match !== 'string' || typeof pattern.tool !== 'string')
      return;
    let expression: RegExp;
    try {
      expression = new RegExp(pattern.match, 'iu');
    } catch (error) {
      problems.push({
        path: `/patterns/${index}/match`,
        code: 'BOTWIRE_MANIFEST_PATTERN_INVALID',
        message: `patterns[${index}].match is not a valid regular expression: ${(error as Error).message}`,
      });
      return;
    }
    const target = toolsByName.get(pattern.tool);
    if (!target) {
      problems.push({
        path: `/patterns/${index}/tool`,
        code: 'BOTWIRE_MANIFEST_PATTERN_TOOL_UNKNOWN',
        message: `patterns[${index}] runs tool "${pattern.tool}", which this skill.json does not declare`,
      });
      return;
    }
    if (typeof pattern.example === 'string' && !expression.test(pattern.example.trim())) {
      problems.push({
        path: `/patterns/${index}/example`,
        code: 'BOTWIRE_MANIFEST_PATTERN_INVALID',
        message: `patterns[${index}].example ${JSON.stringify(pattern.example)} does not match its own pattern; write a message the pattern understands, so /help does not promise what fails`,
      });
    }
    const inputSchema = target.tool.input_schema;
    const properties =
      isRecord(inputSchema) && isRecord(inputSchema.properties) ? inputSchema.properties : {};
    const groups = [...expression.source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map(
      (match) => match[1]!,
    );
    for (const group of groups) {
      if (!Object.hasOwn(properties, group)) {
        problems.push({
          path: `/patterns/${index}/match`,
          code: 'BOTWIRE_MANIFEST_PATTERN_INVALID',
          message: `patterns[${index}] has the group "${group}", but the input_schema of tool "${pattern.tool}" has no such property`,
        });
      }
    }
  });

  const fileHandlers = Array.isArray(manifest.files) ? manifest.files : [];
  fileHandlers.forEach((handler, index) => {
    if (!isRecord(handler) || typeof handler.tool !== 'string') return;
    const target = toolsByName.get(handler.tool);
    if (!target) {
      problems.push({
        path: `/files/${index}/tool`,
        code: 'BOTWIRE_MANIFEST_FILES_TOOL_UNKNOWN',
        message: `files[${index}] sends files to tool "${handler.tool}", which this skill.json does not declare`,
      });
      return;
    }
    if (typeof handler.argument !== 'string') return;
    const inputSchema = target.tool.input_schema;
    const properties =
      isRecord(inputSchema) && isRecord(inputSchema.properties) ? inputSchema.properties : {};
    if (!Object.hasOwn(properties, handler.argument)) {
      problems.push({
        path: `/files/${index}/argument`,
        code: 'BOTWIRE_MANIFEST_FILES_TOOL_UNKNOWN',
        message: `files[${index}] passes the caption to "${handler.argument}", but the input_schema of tool "${handler.tool}" has no such property`,
      });
    }
  });

  problems.push(
    ...schemaProblems(
      manifest.config_schema,
      '/config_schema',
      'BOTWIRE_MANIFEST_CONFIG_SCHEMA_INVALID',
      'config_schema',
      'fill-defaults',
    ),
  );
  return problems;
}

/**
 * Validates a parsed skill.json: first against skill.schema.json, then the rules a schema cannot
 * express (unique tool and command names, commands naming declared tools and properties, every
 * input_schema, output_schema and config_schema a valid JSON Schema). Returns every problem
 * found, each with a JSON pointer and a stable code; an empty array means the manifest is valid.
 *
 * @example
 * const problems = validateManifest(JSON.parse(text), { file: 'skills/notes/skill.json' });
 * if (problems.length) throw new BotwireError('BOTWIRE_SKILL_MANIFEST_INVALID', { problems });
 */
export function validateManifest(value: unknown, options: { file?: string } = {}): Problem[] {
  const validate = getManifestValidator();
  const problems: Problem[] = [];
  if (!validate(value)) {
    for (const error of collapseSchemaErrors(validate.errors ?? [])) {
      const { code, message } = describeManifestError(error, value);
      problems.push({ path: errorPointer(error), code, message });
    }
  }
  if (isRecord(value)) problems.push(...semanticProblems(value));
  const seen = new Set<string>();
  return problems
    .filter((problem) => {
      const key = `${problem.path}\u0000${problem.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((problem) => (options.file ? { ...problem, file: options.file } : problem));
}

/**
 * Parses the text of a skill.json. When it is not JSON, the single problem says where
 * (line and column) with the code BOTWIRE_MANIFEST_NOT_JSON.
 */
export function parseManifestText(
  text: string,
  file?: string,
): { value?: unknown; problems: Problem[] } {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { value: JSON.parse(source), problems: [] };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const { line, column } = locateJsonError(reason, source);
    const detail = reason
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, "[\s\S]*" is not valid JSON$/, '')
      .replace(/ \(line \d+ column \d+\)$/, '');
    const problem: Problem = {
      path: '',
      code: 'BOTWIRE_MANIFEST_NOT_JSON',
      message: source.trim()
        ? `skill.json is not valid JSON at line ${line}, column ${column}: ${detail}`
        : 'skill.json is empty; it must contain a JSON object',
    };
    return { problems: [file ? { ...problem, file } : problem] };
  }
}

function locateJsonError(reason: string, text: string): { line: number; column: number } {
  const lineColumn = /line (\d+) column (\d+)/.exec(reason);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /position (\d+)/.exec(reason);
  const offset = position ? Number(position[1]) : firstBadOffset(text);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Where parsing goes wrong when the engine's message has no position (`Unexpected token '}'`):
 * the shortest prefix that fails for a reason other than ending too early ends at the bad character.
 */
function firstBadOffset(text: string): number {
  const failsInside = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (/Unexpected end/.test(message)) return false;
      const position = /position (\d+)/.exec(message);
      return position ? Number(position[1]) < length : true;
    }
  };
  let low = 1;
  let high = text.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (failsInside(middle)) high = middle;
    else low = middle + 1;
  }
  return low - 1;
}
