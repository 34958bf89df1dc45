import { dereference, isRecord, pointer, resolveLocalRef } from './json-pointer';
import { checkParameters, checkTemplate } from './openapi-check-parameters';
import { chooseSecurity, effectiveSecurity, supportedAuthKinds } from './openapi-security';
import { serverUrlProblem } from './server-url';

/** One problem of a document, located by a JSON pointer (RFC 6901). */
export interface DocumentProblem {
  /** Where: `/paths/~1pets~1{petId}/get/parameters/0/in`; `''` is the whole document. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/** The methods whose operations become tools, in the order they are listed. */
export const operationMethods = [
  'get',
  'put',
  'post',
  'delete',
  'patch',
  'head',
  'options',
] as const;

/**
 * Checks that an OpenAPI 3.0.x or 3.1.x document is complete enough to call its operations,
 * and lists every problem with its JSON pointer: the `openapi` version (Swagger 2.0 is
 * refused), `info.title` and `info.version`, `paths` and their keys, path templates against
 * the `in: path` parameters (which must be `required: true`), each parameter's `name`, `in`
 * and `schema` or `content`, duplicate operationIds, `$ref`s that are remote or point at
 * nothing, server URLs, request bodies without content, and security schemes. A security
 * scheme of a kind the engine cannot send (openIdConnect, an apiKey in a cookie, oauth2
 * without client credentials...) is a problem only when an operation has no other way to
 * authenticate. A valid document has no problems.
 *
 * @example
 * checkOpenApi(parseDocument(text)).problems;
 * // [{ path: '/paths/~1pets~1{petId}/get/parameters/0/required', message: '...' }]
 */
export function checkOpenApi(document: unknown): { problems: DocumentProblem[] } {
  const problems: DocumentProblem[] = [];
  const seen = new Set<string>();
  const add = (path: string, message: string) => {
    const key = `${path}\n${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ path, message });
  };
  if (!isRecord(document)) {
    add('', 'an OpenAPI document must be an object with openapi, info and paths');
    return { problems };
  }
  if (document.openapi === undefined && document.swagger !== undefined) {
    add(
      '/swagger',
      'Swagger 2.0 is not supported; convert to OpenAPI 3 (for example with https://converter.swagger.io or `npx swagger2openapi`)',
    );
    return { problems };
  }
  checkVersion(document.openapi, add);
  checkInfo(document.info, add);
  checkServers(document.servers, '/servers', add);
  checkSecuritySchemes(document, add);
  checkReferences(document, add);
  checkPaths(document, add);
  return { problems };
}

/** Records one problem. */
export type Add = (path: string, message: string) => void;

function checkVersion(version: unknown, add: Add): void {
  if (version === undefined) {
    add('/openapi', 'openapi is missing; an OpenAPI document starts with openapi: 3.0.3 or 3.1.0');
  } else if (typeof version !== 'string' || !/^3\.[01]\.\d+(-[\w.]+)?$/.test(version)) {
    add(
      '/openapi',
      `openapi ${JSON.stringify(version)} is not supported; use an OpenAPI 3.0.x or 3.1.x document (write the version as a string, such as "3.0.3")`,
    );
  }
}

function checkInfo(info: unknown, add: Add): void {
  if (!isRecord(info)) {
    add(
      '/info',
      'info is missing; it needs a title and a version, such as { title: "CRM", version: "1.0" }',
    );
    return;
  }
  for (const field of ['title', 'version'] as const) {
    const value = info[field];
    if (value === undefined) add(pointer('info', field), `info.${field} is missing`);
    else if (typeof value !== 'string' || value.trim() === '')
      add(
        pointer('info', field),
        `info.${field} must be a non-empty string${typeof value === 'number' ? ` (quote it: "${value}")` : ''}`,
      );
  }
}

function checkServers(servers: unknown, at: string, add: Add): void {
  if (servers === undefined) return;
  if (!Array.isArray(servers)) {
    add(at, 'servers must be a list such as [{ url: "https://api.example.com/v1" }]');
    return;
  }
  servers.forEach((server, index) => {
    const problem = serverUrlProblem(server);
    if (problem)
      add(`${at}/${index}${problem.field ? pointer(problem.field) : ''}`, problem.message);
  });
}

function checkSecuritySchemes(document: Record<string, unknown>, add: Add): void {
  const components = document.components;
  if (!isRecord(components) || components.securitySchemes === undefined) return;
  if (!isRecord(components.securitySchemes)) {
    add(
      '/components/securitySchemes',
      'components.securitySchemes must be an object of named schemes',
    );
    return;
  }
  for (const [name, raw] of Object.entries(components.securitySchemes)) {
    const found = dereference(document, raw, pointer('components', 'securitySchemes', name));
    if (!found) continue; // the reference check reports it
    const { value: scheme, at } = found;
    if (!isRecord(scheme)) {
      add(at, `security scheme "${name}" must be an object with a type`);
      continue;
    }
    const types = ['apiKey', 'http', 'oauth2', 'openIdConnect', 'mutualTLS'];
    if (!types.includes(scheme.type as string)) {
      add(
        `${at}/type`,
        `security scheme "${name}" has type ${JSON.stringify(scheme.type)}; it must be one of ${types.join(', ')}`,
      );
    } else if (scheme.type === 'apiKey') {
      if (typeof scheme.name !== 'string' || !scheme.name)
        add(
          `${at}/name`,
          `apiKey scheme "${name}" needs the name of its header or query parameter`,
        );
      if (!['header', 'query', 'cookie'].includes(scheme.in as string))
        add(`${at}/in`, `apiKey scheme "${name}" needs in: header, query or cookie`);
    } else if (scheme.type === 'http') {
      if (typeof scheme.scheme !== 'string' || !scheme.scheme)
        add(`${at}/scheme`, `http scheme "${name}" needs a scheme, such as bearer or basic`);
    } else if (scheme.type === 'oauth2') {
      if (!isRecord(scheme.flows)) add(`${at}/flows`, `oauth2 scheme "${name}" needs flows`);
      else {
        const flow = scheme.flows.clientCredentials;
        if (flow !== undefined && (!isRecord(flow) || typeof flow.tokenUrl !== 'string'))
          add(
            `${at}/flows/clientCredentials/tokenUrl`,
            `the clientCredentials flow of "${name}" needs a tokenUrl`,
          );
      }
    }
  }
}

/** Keys whose values are data, not document structure: a `$ref` inside them is not a reference. */
const dataKeys = new Set(['example', 'default', 'enum', 'const']);

function checkReferences(document: Record<string, unknown>, add: Add): void {
  const visited = new Set<object>();
  const walk = (value: unknown, at: string, depth: number) => {
    if (typeof value !== 'object' || value === null || visited.has(value) || depth > 256) return;
    visited.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        walk(item, `${at}/${index}`, depth + 1);
      });
      return;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.$ref === 'string') {
      const ref = record.$ref;
      if (!ref.startsWith('#'))
        add(
          `${at}/$ref`,
          `"${ref}" is a remote reference; only local references (starting with #/) are supported. Bundle the document into one file first (for example with \`npx @redocly/cli bundle\`)`,
        );
      else if (resolveLocalRef(document, ref) === undefined)
        add(`${at}/$ref`, `"${ref}" points at nothing in this document`);
    }
    for (const [key, item] of Object.entries(record)) {
      if (dataKeys.has(key) || key.startsWith('x-') || (key === 'examples' && Array.isArray(item)))
        continue;
      walk(item, at + pointer(key), depth + 1);
    }
  };
  walk(document, '', 0);
}

function checkPaths(document: Record<string, unknown>, add: Add): void {
  const paths = document.paths;
  if (paths === undefined) {
    add('/paths', 'paths is missing; the document must describe at least one path to call');
    return;
  }
  if (!isRecord(paths)) {
    add(
      '/paths',
      'paths must be an object whose keys are paths, such as { "/pets": { get: ... } }',
    );
    return;
  }
  const operationIds = new Map<string, string>();
  const unsupported = new Map<string, { at: string; reason: string; operations: string[] }>();
  for (const [path, rawItem] of Object.entries(paths)) {
    if (path.startsWith('x-')) continue;
    const itemAt = pointer('paths', path);
    if (!path.startsWith('/')) add(itemAt, `the path "${path}" must start with "/"`);
    const found = dereference(document, rawItem, itemAt);
    if (!found) continue;
    const { value: item, at } = found;
    if (!isRecord(item)) {
      add(at, `the path item of "${path}" must be an object of operations`);
      continue;
    }
    checkServers(item.servers, `${at}/servers`, add);
    const shared = checkParameters(document, item.parameters, `${at}/parameters`, add);
    for (const method of operationMethods) {
      const operation = item[method];
      if (operation === undefined) continue;
      const operationAt = `${at}/${method}`;
      const label = `${method.toUpperCase()} ${path}`;
      if (!isRecord(operation)) {
        add(operationAt, `${label} must be an operation object`);
        continue;
      }
      if (operation.operationId !== undefined) {
        const id = operation.operationId;
        if (typeof id !== 'string' || !id)
          add(`${operationAt}/operationId`, 'operationId must be a non-empty string');
        else if (operationIds.has(id))
          add(
            `${operationAt}/operationId`,
            `operationId "${id}" is also used by ${operationIds.get(id)}; each operation needs its own`,
          );
        else operationIds.set(id, label);
      }
      const own = checkParameters(document, operation.parameters, `${operationAt}/parameters`, add);
      const merged = [
        ...shared.filter(
          (outer) => !own.some((inner) => inner.name === outer.name && inner.in === outer.in),
        ),
        ...own,
      ];
      checkTemplate(path, merged, operationAt, label, add);
      checkRequestBody(document, operation.requestBody, `${operationAt}/requestBody`, add);
      checkServers(operation.servers, `${operationAt}/servers`, add);
      checkSecurity(document, operation, operationAt, label, unsupported, add);
    }
  }
  for (const [name, entry] of unsupported) {
    const more = entry.operations.length > 3 ? ` and ${entry.operations.length - 3} more` : '';
    add(
      entry.at,
      `security scheme "${name}": ${entry.reason}; ${entry.operations.slice(0, 3).join(', ')}${more} cannot be called without it. Supported: ${supportedAuthKinds}`,
    );
  }
}

function checkRequestBody(document: unknown, body: unknown, at: string, add: Add): void {
  if (body === undefined) return;
  const found = dereference(document, body, at);
  if (!found) return;
  const { value, at: bodyAt } = found;
  if (!isRecord(value)) {
    add(bodyAt, 'requestBody must be an object with content');
    return;
  }
  if (!isRecord(value.content) || Object.keys(value.content).length === 0)
    add(
      `${bodyAt}/content`,
      'requestBody needs content with at least one media type, such as { "application/json": { schema: ... } }',
    );
}

function checkSecurity(
  document: Record<string, unknown>,
  operation: Record<string, unknown>,
  at: string,
  label: string,
  unsupported: Map<string, { at: string; reason: string; operations: string[] }>,
  add: Add,
): void {
  const own = operation.security !== undefined;
  const requirements = effectiveSecurity(document, operation);
  const requirementsAt = own ? `${at}/security` : '/security';
  if (requirements === undefined) return;
  if (!Array.isArray(requirements)) {
    add(requirementsAt, 'security must be a list of requirements such as [{ bearerAuth: [] }]');
    return;
  }
  const schemes = isRecord(document.components) ? document.components.securitySchemes : undefined;
  requirements.forEach((requirement, index) => {
    if (!isRecord(requirement)) {
      add(
        `${requirementsAt}/${index}`,
        'a security requirement must be an object such as { bearerAuth: [] }',
      );
      return;
    }
    for (const name of Object.keys(requirement)) {
      if (!isRecord(schemes) || schemes[name] === undefined)
        add(
          `${requirementsAt}/${index}${pointer(name)}`,
          `security scheme "${name}" is not defined in components.securitySchemes`,
        );
    }
  });
  const choice = chooseSecurity(document, requirements);
  if (choice.usable) return;
  for (const refused of choice.refused) {
    if (refused.several) {
      add(
        requirementsAt,
        `${label} needs several security schemes at once (${refused.several.join(', ')}); only one at a time is supported`,
      );
      continue;
    }
    const support = refused.support;
    if (!support || support.supported) continue;
    const entry = unsupported.get(refused.name) ?? {
      at: support.at,
      reason: support.reason,
      operations: [],
    };
    entry.operations.push(label);
    unsupported.set(refused.name, entry);
  }
}
