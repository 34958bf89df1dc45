import { BotwireError } from '@botwire/core';
import type { Operation } from './operation';

/** An HTTP request ready to send, before auth is added. */
export interface BuiltRequest {
  url: URL;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body?: string;
}

const defaultAccept = 'application/json, text/plain;q=0.9, */*;q=0.8';

function invalid(message: string): BotwireError {
  return new BotwireError('BOTWIRE_TOOL_ARGUMENTS_INVALID', { message });
}

/** A scalar as it is written in a path, a query or a header. */
function scalar(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

/**
 * The request of an operation called with these arguments: path parameters percent-encoded
 * into the template (`/pets/{id}` with `a/b` → `/pets/a%2Fb`), query parameters with arrays as
 * repeated keys and objects as one key per property (OpenAPI's default `form` style), header
 * and cookie parameters, and the body in the operation's content type (JSON, form or text).
 * A path parameter that is missing, empty, `.` or `..` throws BOTWIRE_TOOL_ARGUMENTS_INVALID
 * (the last two would leave the operation's path).
 */
export function buildRequest(
  baseUrl: string,
  operation: Operation,
  args: Record<string, unknown>,
): BuiltRequest {
  const path = operation.path.replace(/\{([^{}]+)\}/g, (_whole, name: string) => {
    const parameter = operation.parameters.find((item) => item.in === 'path' && item.name === name);
    const value = parameter ? args[parameter.argument] : undefined;
    if (value === undefined || value === null)
      throw invalid(`${operation.id} needs the path parameter "${parameter?.argument ?? name}".`);
    const text = Array.isArray(value) ? value.map(scalar).join(',') : scalar(value);
    if (text === '' || text === '.' || text === '..')
      throw invalid(
        `The path parameter "${parameter!.argument}" of ${operation.id} cannot be ${JSON.stringify(text)}.`,
      );
    return encodeURIComponent(text);
  });
  let url: URL;
  try {
    url = new URL(baseUrl.replace(/\/+$/, '') + path);
  } catch {
    throw invalid(`"${baseUrl}" and "${operation.path}" do not make a valid URL.`);
  }
  const headers: Record<string, string> = { accept: defaultAccept };
  const cookies: string[] = [];
  for (const parameter of operation.parameters) {
    const value = args[parameter.argument];
    if (value === undefined || value === null) continue;
    if (parameter.in === 'query') {
      if (Array.isArray(value)) {
        for (const item of value) url.searchParams.append(parameter.name, scalar(item));
      } else if (typeof value === 'object') {
        for (const [key, item] of Object.entries(value)) {
          if (item !== undefined && item !== null) url.searchParams.append(key, scalar(item));
        }
      } else {
        url.searchParams.append(parameter.name, scalar(value));
      }
    } else if (parameter.in === 'header') {
      const text = Array.isArray(value) ? value.map(scalar).join(',') : scalar(value);
      if (/[\r\n\0]/.test(text))
        throw invalid(`The header parameter "${parameter.argument}" cannot contain line breaks.`);
      headers[parameter.name.toLowerCase()] = text;
    } else if (parameter.in === 'cookie') {
      cookies.push(`${parameter.name}=${encodeURIComponent(scalar(value))}`);
    }
  }
  if (cookies.length) headers.cookie = cookies.join('; ');
  const request: BuiltRequest = { url, headers };
  const body = operation.body;
  const value = args.body;
  if (body && value !== undefined) {
    headers['content-type'] = body.contentType;
    request.body = encodeBody(body.contentType, value);
  } else if (body?.required) {
    throw invalid(`${operation.id} needs a body.`);
  }
  return request;
}

function encodeBody(contentType: string, value: unknown): string {
  if (contentType === 'application/x-www-form-urlencoded' && typeof value === 'object' && value) {
    const form = new URLSearchParams();
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || item === null) continue;
      for (const part of Array.isArray(item) ? item : [item]) form.append(key, scalar(part));
    }
    return form.toString();
  }
  if (typeof value === 'string' && !/json/.test(contentType)) return value;
  return JSON.stringify(value);
}
