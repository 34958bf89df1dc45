import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BotwireError, type ToolContext } from '@botwire/core';
import {
  checkDefinition,
  definitionOperations,
  type IntegrationDefinition,
  integrationNamePattern,
} from './engine/definition';
import { checkOpenApi, documentBaseUrl, listOperations, parseDocument } from './engine/openapi';
import type { AuthScheme, Operation } from './engine/operation';

/** The credentials an integration may need; each is kept as a secret of its own. */
export const credentialFields = [
  'token',
  'api_key',
  'username',
  'password',
  'client_id',
  'client_secret',
] as const;
export type CredentialField = (typeof credentialFields)[number];
export type Credentials = Partial<Record<CredentialField, string>>;

/** A connected API, as stored (no credential in it). */
export interface Integration {
  name: string;
  /** `user`: added by this user, theirs alone; `bot`: from the bot's config, for everyone. */
  scope: 'user' | 'bot';
  kind: 'openapi' | 'definition';
  title: string;
  /** Where the OpenAPI document came from, when it came from a URL. */
  source?: string;
  baseUrl: string;
  auth?: AuthScheme;
  /** Calls that change something run without asking first. */
  trusted: boolean;
  healthPath?: string;
  healthExpectStatus?: number;
  operations: Operation[];
  addedAt: string;
  /** For `bot` integrations: the names of the bot-wide secrets that hold each credential. */
  secretNames?: Credentials;
}

/** What a user's integration is read from, before it is checked. */
export interface IntegrationSource {
  name?: string;
  /** The document's URL, or (for config integrations) a file path. */
  url?: string;
  document?: string | Record<string, unknown>;
  definition?: Record<string, unknown>;
  baseUrl?: string;
  auth?: AuthScheme;
  healthPath?: string;
  trusted?: boolean;
}

/** The most an OpenAPI document may weigh. */
const maxDocumentBytes = 2 * 1024 * 1024;

export const userKey = (name: string) => `integration:${name}`;
export const secretName = (integration: string, field: CredentialField) =>
  `integration.${integration}.${field}`;

/** A clear error for a document or definition with problems, each with its JSON path. */
export function invalidIntegration(
  what: string,
  problems: Array<{ path: string; message: string }>,
): BotwireError {
  const listed = problems
    .slice(0, 30)
    .map((problem) => `${problem.path || '/'}: ${problem.message}`)
    .join('\n');
  const more = problems.length > 30 ? `\n… and ${problems.length - 30} more` : '';
  return new BotwireError('BOTWIRE_INTEGRATION_INVALID', {
    message: `${what} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${listed}${more}`,
    problems: problems.map((problem) => ({
      path: problem.path,
      code: 'BOTWIRE_INTEGRATION_INVALID',
      message: problem.message,
    })),
  });
}

/**
 * Reads and checks an integration: fetches the OpenAPI document through the egress policy (or
 * reads the one given, or a file for the bot's config), lists every problem with its JSON path,
 * and derives the operations. Nothing is stored here.
 */
export async function readIntegration(
  source: IntegrationSource,
  context: Pick<ToolContext, 'fetch'>,
  options: { scope: 'user' | 'bot'; rootDir?: string },
): Promise<Integration> {
  const addedAt = new Date().toISOString();
  if (source.definition) {
    const definition = { ...source.definition, ...(source.name ? { name: source.name } : {}) };
    const { problems } = checkDefinition(definition);
    if (problems.length) throw invalidIntegration('The definition', problems);
    const checked = definition as unknown as IntegrationDefinition;
    return {
      name: checked.name,
      scope: options.scope,
      kind: 'definition',
      title: checked.description ?? checked.name,
      baseUrl: source.baseUrl ?? checked.baseUrl,
      ...((source.auth ?? checked.auth)
        ? { auth: (source.auth ?? checked.auth) as AuthScheme }
        : {}),
      trusted: source.trusted === true,
      ...(checked.health
        ? {
            healthPath: checked.health.path,
            ...(checked.health.expectStatus
              ? { healthExpectStatus: checked.health.expectStatus }
              : {}),
          }
        : source.healthPath
          ? { healthPath: source.healthPath }
          : {}),
      operations: definitionOperations(checked),
      addedAt,
    };
  }
  let document: unknown;
  let documentUrl: string | undefined;
  if (source.document !== undefined) {
    document =
      typeof source.document === 'string' ? parseDocument(source.document) : source.document;
  } else if (source.url) {
    if (/^https?:\/\//i.test(source.url)) {
      documentUrl = source.url;
      const response = await context.fetch(source.url, {
        headers: { accept: 'application/json, application/yaml, text/yaml, */*' },
        maxResponseBytes: maxDocumentBytes,
      });
      if (response.status >= 400)
        throw new BotwireError('BOTWIRE_INTEGRATION_INVALID', {
          message: `The OpenAPI document at ${source.url} could not be read: HTTP ${response.status}.`,
        });
      document = parseDocument(new TextDecoder().decode(response.body));
    } else if (options.rootDir) {
      document = parseDocument(await readFile(resolve(options.rootDir, source.url), 'utf8'));
    } else {
      throw new BotwireError('BOTWIRE_INTEGRATION_INVALID', {
        message: `"${source.url}" is not an http(s) URL of an OpenAPI document.`,
      });
    }
  } else {
    throw new BotwireError('BOTWIRE_INTEGRATION_INVALID', {
      message:
        'Say where the API is described: url (its OpenAPI document), document (the document itself) or definition.',
    });
  }
  const { problems } = checkOpenApi(document);
  if (problems.length) throw invalidIntegration('The OpenAPI document', problems);
  const doc = document as Record<string, unknown>;
  const info = (doc.info ?? {}) as { title?: string };
  const title = typeof info.title === 'string' ? info.title : 'API';
  const name = source.name ?? nameFromTitle(title);
  if (!integrationNamePattern.test(name))
    throw new BotwireError('BOTWIRE_INTEGRATION_INVALID', {
      message: `"${name}" cannot name an integration: use lower-case letters, digits and _, starting with a letter, at most 32.`,
    });
  const baseUrl = source.baseUrl ?? documentBaseUrl(doc, documentUrl);
  if (!baseUrl)
    throw new BotwireError('BOTWIRE_INTEGRATION_INVALID', {
      message:
        'The document names no server (servers[0].url) to call: give the base URL (base_url).',
    });
  const operations = listOperations(doc, { maxIdLength: 63 - name.length });
  if (operations.length === 0)
    throw new BotwireError('BOTWIRE_INTEGRATION_INVALID', {
      message: 'The OpenAPI document has no operations to call.',
    });
  const security = source.auth ?? operations.find((operation) => operation.security)?.security;
  return {
    name,
    scope: options.scope,
    kind: 'openapi',
    title,
    ...(documentUrl ? { source: documentUrl } : {}),
    baseUrl,
    ...(security ? { auth: security } : {}),
    trusted: source.trusted === true,
    ...(source.healthPath ? { healthPath: source.healthPath } : {}),
    operations,
    addedAt,
  };
}

/** An integration name from a document's title: `Swagger Petstore` → `swagger_petstore`. */
export function nameFromTitle(title: string): string {
  const words = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const name = /^[a-z]/.test(words) ? words : `api_${words}`;
  return name.slice(0, 32).replace(/_+$/, '') || 'api';
}

/** The GET path that tells whether the API works, when the integration does not name one. */
export function healthPathOf(integration: Integration): string | undefined {
  if (integration.healthPath) return integration.healthPath;
  const gets = integration.operations.filter(
    (operation) => operation.method === 'GET' && !operation.path.includes('{'),
  );
  const named = gets.find((operation) => /\/(health|healthz|status|ping)$/i.test(operation.path));
  const simple = gets.find((operation) =>
    operation.parameters.every((parameter) => !parameter.required),
  );
  return (named ?? simple)?.path;
}
