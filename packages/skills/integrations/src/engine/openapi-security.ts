import { dereference, isRecord, pointer } from './json-pointer';
import type { AuthScheme } from './operation';

/** What the engine makes of one security scheme of a document. */
export type SchemeSupport =
  | { supported: true; auth: AuthScheme }
  | {
      supported: false;
      /** Why, for people: `type openIdConnect is not supported`. */
      reason: string;
      /** The pointer of the field that makes it unsupported. */
      at: string;
    };

/** The auth kinds the engine can send, for messages. */
export const supportedAuthKinds =
  'http bearer, http basic, apiKey in a header or the query, and oauth2 with a clientCredentials flow';

/**
 * Maps a security scheme of `components.securitySchemes` to an {@link AuthScheme}, with the
 * scopes a requirement asks for (oauth2). `at` is the scheme's pointer.
 */
export function schemeSupport(scheme: unknown, scopes: unknown, at: string): SchemeSupport {
  const no = (reason: string, field: string): SchemeSupport => ({
    supported: false,
    reason,
    at: at + pointer(field),
  });
  if (!isRecord(scheme)) return no('it is not an object', 'type');
  switch (scheme.type) {
    case 'http': {
      const kind = typeof scheme.scheme === 'string' ? scheme.scheme.toLowerCase() : '';
      if (kind === 'bearer') return { supported: true, auth: { type: 'bearer' } };
      if (kind === 'basic') return { supported: true, auth: { type: 'basic' } };
      return no(`http scheme "${String(scheme.scheme)}" is not supported`, 'scheme');
    }
    case 'apiKey':
      if ((scheme.in === 'header' || scheme.in === 'query') && typeof scheme.name === 'string')
        return { supported: true, auth: { type: 'apiKey', in: scheme.in, name: scheme.name } };
      return no(`an apiKey in "${String(scheme.in)}" is not supported`, 'in');
    case 'oauth2': {
      const flow = isRecord(scheme.flows) ? scheme.flows.clientCredentials : undefined;
      if (isRecord(flow) && typeof flow.tokenUrl === 'string') {
        const wanted = Array.isArray(scopes)
          ? scopes.filter((scope): scope is string => typeof scope === 'string')
          : [];
        return {
          supported: true,
          auth: {
            type: 'oauth2',
            tokenUrl: flow.tokenUrl,
            ...(wanted.length ? { scopes: wanted } : {}),
          },
        };
      }
      return no(
        'oauth2 without a clientCredentials flow is not supported (the other flows need a person to sign in)',
        'flows',
      );
    }
    default:
      return no(`type ${JSON.stringify(scheme.type)} is not supported`, 'type');
  }
}

/** The security requirements in force for an operation: its own, else the document's. */
export function effectiveSecurity(document: Record<string, unknown>, operation: unknown): unknown {
  if (isRecord(operation) && operation.security !== undefined) return operation.security;
  return document.security;
}

/** The outcome of choosing an auth for an operation's security requirements. */
export interface SecurityChoice {
  /** The first alternative the engine can send; undefined when none is needed (or none works). */
  auth?: AuthScheme;
  /** True when the requirements can be met (or there are none). */
  usable: boolean;
  /** The alternatives that could not be used, with why. */
  refused: Array<{ name: string; support: SchemeSupport | undefined; several?: string[] }>;
}

/**
 * Picks the auth of an operation from its security requirements (alternatives, of which one
 * must be met): the first alternative naming one supported scheme. An empty alternative (`{}`)
 * means the operation may also be called without auth; it is used only when no scheme works.
 */
export function chooseSecurity(
  document: Record<string, unknown>,
  requirements: unknown,
): SecurityChoice {
  if (!Array.isArray(requirements) || requirements.length === 0)
    return { usable: true, refused: [] };
  const schemes = isRecord(document.components) ? document.components.securitySchemes : undefined;
  const refused: SecurityChoice['refused'] = [];
  let anonymous = false;
  for (const requirement of requirements) {
    if (!isRecord(requirement)) continue;
    const names = Object.keys(requirement);
    if (names.length === 0) {
      anonymous = true;
      continue;
    }
    if (names.length > 1) {
      refused.push({ name: names.join(' + '), support: undefined, several: names });
      continue;
    }
    const name = names[0]!;
    const at = pointer('components', 'securitySchemes', name);
    const found = isRecord(schemes) ? dereference(document, schemes[name], at) : undefined;
    if (!found || found.value === undefined) {
      refused.push({ name, support: undefined });
      continue;
    }
    const support = schemeSupport(found.value, requirement[name], found.at);
    if (support.supported) return { auth: support.auth, usable: true, refused };
    refused.push({ name, support });
  }
  return { usable: anonymous, refused };
}
