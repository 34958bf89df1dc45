import { isRecord } from './json-pointer';

/** Why a server object's URL cannot be used, and the field (`url`, `variables/region/default`) at fault. */
export interface ServerUrlProblem {
  field?: string;
  message: string;
}

/**
 * The URL of a server object with each `{variable}` replaced by its default, or the problem
 * that prevents it.
 */
export function substituteServerVariables(server: unknown): string | ServerUrlProblem {
  if (!isRecord(server))
    return { message: 'a server must be an object such as { url: "https://api.example.com" }' };
  if (typeof server.url !== 'string' || server.url.trim() === '')
    return { field: 'url', message: 'the server needs a url' };
  const variables = isRecord(server.variables) ? server.variables : {};
  let problem: ServerUrlProblem | undefined;
  const url = server.url.replace(/\{([^{}]*)\}/g, (whole, name: string) => {
    const variable = variables[name];
    if (isRecord(variable) && typeof variable.default === 'string') return variable.default;
    problem ??= isRecord(variable)
      ? {
          field: `variables/${name}/default`,
          message: `server variable "${name}" needs a default (a string)`,
        }
      : {
          field: 'url',
          message: `the server URL has {${name}}, but variables has no "${name}" with a default`,
        };
    return whole;
  });
  return problem ?? url;
}

/** Why a server object is not usable, or undefined when it is. Relative URLs are allowed. */
export function serverUrlProblem(server: unknown): ServerUrlProblem | undefined {
  const url = substituteServerVariables(server);
  if (typeof url !== 'string') return url;
  const invalid = {
    field: 'url',
    message: `"${url}" is not a valid URL; write it as https://api.example.com/v1 or a path such as /v1`,
  };
  if (/\s/.test(url)) return invalid;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return invalid;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      return { field: 'url', message: `the server URL "${url}" must use http or https` };
    if (!parsed.hostname) return invalid;
    return undefined;
  }
  try {
    new URL(url, 'https://document.invalid/');
  } catch {
    return invalid;
  }
  return undefined;
}

/**
 * The base URL of an OpenAPI document's operations: `servers[0].url` with its variables'
 * defaults, resolved against the URL the document was read from when it is relative (a
 * document without servers is served from `/`, per the spec), without a trailing slash.
 * Undefined when there is none: a relative URL and no document URL, or an invalid one.
 *
 * @example
 * documentBaseUrl({ servers: [{ url: '/v2' }] }, 'https://api.example.com/openapi.json');
 * // 'https://api.example.com/v2'
 */
export function documentBaseUrl(document: unknown, documentUrl?: string): string | undefined {
  const servers = isRecord(document) && Array.isArray(document.servers) ? document.servers : [];
  const first = servers.length ? substituteServerVariables(servers[0]) : '/';
  if (typeof first !== 'string' || serverUrlProblem(servers[0] ?? { url: '/' })) return undefined;
  let resolved: URL;
  try {
    resolved = documentUrl ? new URL(first, documentUrl) : new URL(first);
  } catch {
    return undefined;
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return undefined;
  resolved.hash = '';
  return resolved.href.replace(/\/+$/, '');
}
