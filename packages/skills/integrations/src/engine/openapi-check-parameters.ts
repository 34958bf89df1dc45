import { dereference, isRecord } from './json-pointer';
import type { Add } from './openapi-check';
import { templateNames } from './operation';

const parameterLocations = ['path', 'query', 'header', 'cookie'];

/** A parameter that passed the checks, with where it is. */
export interface CheckedParameter {
  name: string;
  in: string;
  at: string;
}

/**
 * Checks a list of parameters (each may be a `$ref`): name, in, `required: true` for path
 * parameters, schema or content, and no parameter listed twice. Returns the usable ones.
 */
export function checkParameters(
  document: unknown,
  parameters: unknown,
  at: string,
  add: Add,
): CheckedParameter[] {
  if (parameters === undefined) return [];
  if (!Array.isArray(parameters)) {
    add(at, 'parameters must be a list');
    return [];
  }
  const checked: CheckedParameter[] = [];
  parameters.forEach((raw, index) => {
    const found = dereference(document, raw, `${at}/${index}`);
    if (!found) return;
    const { value: parameter, at: parameterAt } = found;
    if (!isRecord(parameter)) {
      add(parameterAt, 'a parameter must be an object with name, in and schema');
      return;
    }
    const name = typeof parameter.name === 'string' && parameter.name ? parameter.name : undefined;
    if (!name) add(`${parameterAt}/name`, 'the parameter has no name');
    const where = parameter.in;
    if (typeof where !== 'string' || !parameterLocations.includes(where)) {
      const swagger =
        where === 'body' || where === 'formData'
          ? ' (Swagger 2.0 "body" and "formData" parameters are a requestBody in OpenAPI 3)'
          : '';
      add(
        `${parameterAt}/in`,
        `in must be "path", "query", "header" or "cookie"; got ${JSON.stringify(where)}${swagger}`,
      );
    } else if (where === 'path' && parameter.required !== true) {
      add(`${parameterAt}/required`, `path parameter "${name ?? '?'}" must have required: true`);
    }
    const label = `parameter "${name ?? index}"`;
    if (parameter.schema === undefined && parameter.content === undefined)
      add(parameterAt, `${label} needs a schema (or a content with one media type)`);
    else if (parameter.schema !== undefined && parameter.content !== undefined)
      add(parameterAt, `${label} has both schema and content; keep one`);
    else if (
      parameter.content !== undefined &&
      !(isRecord(parameter.content) && Object.keys(parameter.content).length === 1)
    )
      add(`${parameterAt}/content`, `the content of ${label} must have exactly one media type`);
    if (!name || typeof where !== 'string') return;
    if (checked.some((other) => other.name === name && other.in === where))
      add(parameterAt, `${label} in ${where} is listed twice`);
    checked.push({ name, in: where, at: parameterAt });
  });
  return checked;
}

/**
 * Checks a path template against an operation's path parameters (its own and its path
 * item's): each `{name}` needs one, and each needs its `{name}`.
 */
export function checkTemplate(
  path: string,
  parameters: CheckedParameter[],
  at: string,
  label: string,
  add: Add,
): void {
  const names = templateNames(path);
  for (const name of names) {
    if (!parameters.some((parameter) => parameter.in === 'path' && parameter.name === name))
      add(
        at,
        `the path has {${name}}, but ${label} has no parameter with in: path and name: ${name}`,
      );
  }
  for (const parameter of parameters) {
    if (parameter.in === 'path' && !names.includes(parameter.name))
      add(
        `${parameter.at}/name`,
        `path parameter "${parameter.name}" does not appear in the path ${path}; add {${parameter.name}} to it or change in`,
      );
  }
}
