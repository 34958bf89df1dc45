import type { JsonSchema } from './skill-manifest';

/**
 * A tool a skill makes at run time for one user, such as one operation of an API the user
 * connected (`petstore_get_pet_by_id`). It is an alias of a tool the skill declares in
 * `skill.json`: the planner sees it with its own name, description and input_schema and checks
 * arguments against that schema before anything runs; calling it calls the declared tool `via.tool`
 * with `{ ...via.arguments, [via.input]: <the checked arguments> }`, under that tool's
 * permissions, timeout and checks. A skill lists them from `dynamicTools(context)` in its module,
 * declared with `"dynamic_tools": true` in skill.json.
 *
 * @example
 * {
 *   name: 'petstore_get_pet_by_id',
 *   description: 'Petstore: GET /pets/{petId}, one pet by id',
 *   input_schema: { type: 'object', properties: { petId: { type: 'integer' } }, required: ['petId'] },
 *   via: { tool: 'integration_call', arguments: { integration: 'petstore', operation: 'get_pet_by_id' }, input: 'arguments' },
 *   side_effects: false,
 * }
 */
export interface DynamicTool {
  /** `^[a-z][a-z0-9_]{0,63}$`, unique across the bot (a declared tool's name wins). */
  name: string;
  /** What the tool does, for the planner's model. */
  description: string;
  /** A JSON Schema of `type: "object"` for the arguments. */
  input_schema: JsonSchema;
  /** The declared tool of the same skill that runs it, and how its arguments are made. */
  via: {
    tool: string;
    /** Fixed arguments of the declared tool. */
    arguments?: Record<string, unknown>;
    /** The declared tool's argument that receives this tool's arguments. */
    input: string;
  };
  /** Whether running it changes something outside (asks first when fed untrusted data). Default: the declared tool's. */
  side_effects?: boolean;
  /** Ask the user before every run, whatever fed it (an API's POST, PUT, PATCH or DELETE). Default false. */
  confirm?: boolean;
}

/** The limit of dynamic tools one skill gives one user (more are left out, and logged). */
export const maxDynamicToolsPerSkill = 200;

/** Problems of one dynamic tool's shape (not its schema, which the registry compiles), or none. */
export function dynamicToolProblems(tool: unknown): string[] {
  if (typeof tool !== 'object' || tool === null) return ['is not an object'];
  const { name, description, input_schema, via } = tool as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof name !== 'string' || !/^[a-z][a-z0-9_]{0,63}$/.test(name))
    problems.push('name must match ^[a-z][a-z0-9_]{0,63}$');
  if (typeof description !== 'string' || !description.trim())
    problems.push('description must be a non-empty string');
  if (
    typeof input_schema !== 'object' ||
    input_schema === null ||
    (input_schema as { type?: unknown }).type !== 'object'
  )
    problems.push('input_schema must be a JSON Schema of type "object"');
  const target = via as Record<string, unknown> | undefined;
  if (typeof target !== 'object' || target === null) problems.push('via must be an object');
  else {
    if (typeof target.tool !== 'string') problems.push('via.tool must name a declared tool');
    if (typeof target.input !== 'string' || !target.input)
      problems.push('via.input must name an argument of via.tool');
    if (
      target.arguments !== undefined &&
      (typeof target.arguments !== 'object' ||
        target.arguments === null ||
        Array.isArray(target.arguments))
    )
      problems.push('via.arguments must be an object');
  }
  return problems;
}

/** The declared tool's arguments for a call of a dynamic tool. */
export function viaArguments(tool: DynamicTool, input: Record<string, unknown>) {
  return { ...(tool.via.arguments ?? {}), [tool.via.input]: input };
}
