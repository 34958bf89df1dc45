/** One tool call of a plan. */
export interface PlanStep {
  /** A short id other steps refer to: `s1`, `s2`, `s3`. */
  id: string;
  tool: string;
  /**
   * The tool's arguments. A string `"{{s1.data.results[0].url}}"` stands for that value of an
   * earlier step's output; a reference inside a longer string is replaced by its text.
   */
  arguments: Record<string, unknown>;
}

/** What the planner decided for one message. */
export interface Plan {
  /** Tool steps, at most three; empty when the message needs no tool. */
  steps: PlanStep[];
  /** `compose`: a model call turns the results into the reply; `last_step`: the last step's output is the reply. */
  final: 'compose' | 'last_step';
  /** Who made the plan, for logs and metrics. */
  source: 'command' | 'pattern' | 'model';
}

/** The most steps a plan may have. */
export const maxPlanSteps = 3;

const referencePattern = /\{\{\s*([A-Za-z][\w-]*)((?:\.[A-Za-z_$][\w$]*|\[\d+\])*)\s*\}\}/g;
const wholeReference = /^\{\{\s*([A-Za-z][\w-]*)((?:\.[A-Za-z_$][\w$]*|\[\d+\])*)\s*\}\}$/;

/** A reference found in a step's arguments. */
export interface StepReference {
  step: string;
  /** The path inside that step's output, as property names and indexes. */
  path: Array<string | number>;
  /** The reference as written. */
  text: string;
}

function parsePath(text: string): Array<string | number> {
  const path: Array<string | number> = [];
  for (const match of text.matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]/g)) {
    path.push(match[1] !== undefined ? match[1] : Number(match[2]));
  }
  return path;
}

/** Every `{{step.path}}` reference inside a value (arguments, nested objects and arrays). */
export function findReferences(value: unknown): StepReference[] {
  if (typeof value === 'string') {
    return [...value.matchAll(referencePattern)].map((match) => ({
      step: match[1]!,
      path: parsePath(match[2] ?? ''),
      text: match[0],
    }));
  }
  if (Array.isArray(value)) return value.flatMap(findReferences);
  if (value && typeof value === 'object') return Object.values(value).flatMap(findReferences);
  return [];
}

/** The ids of the steps a step depends on. */
export function dependenciesOf(step: PlanStep): string[] {
  return [...new Set(findReferences(step.arguments).map((reference) => reference.step))];
}

/** Reads a path out of a value; undefined when any part is missing. */
export function readPath(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let current: unknown = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** Thrown when a reference points at nothing. */
export class UnresolvedReferenceError extends Error {
  constructor(readonly reference: string) {
    super(`${reference} points at nothing in the earlier step's output`);
  }
}

/**
 * Replaces references with earlier steps' outputs. A whole-string reference keeps the value's
 * type (a number stays a number); a reference inside a longer string becomes text.
 */
export function resolveReferences(value: unknown, outputs: ReadonlyMap<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = wholeReference.exec(value);
    if (whole) return lookup(whole[1]!, parsePath(whole[2] ?? ''), value, outputs);
    return value.replace(referencePattern, (text, step: string, path: string) => {
      const found = lookup(step, parsePath(path ?? ''), text, outputs);
      return typeof found === 'string' ? found : JSON.stringify(found);
    });
  }
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, outputs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveReferences(item, outputs)]),
    );
  }
  return value;
}

function lookup(
  step: string,
  path: Array<string | number>,
  text: string,
  outputs: ReadonlyMap<string, unknown>,
): unknown {
  if (!outputs.has(step)) throw new UnresolvedReferenceError(text);
  const output = outputs.get(step);
  // `{{s1}}` alone, or a path that the output's `data` holds when the tool returned { text, data }.
  let found = readPath(output, path);
  if (
    found === undefined &&
    path[0] !== 'data' &&
    output &&
    typeof output === 'object' &&
    'data' in output
  ) {
    found = readPath((output as { data: unknown }).data, path);
  }
  if (found === undefined) throw new UnresolvedReferenceError(text);
  return found;
}
