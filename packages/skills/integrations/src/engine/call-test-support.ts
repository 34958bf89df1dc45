import { type BotwireError, EgressPolicy, egressFetch, isBotwireError } from '@botwire/core';
import { closeEgressDispatcher } from '@botwire/core/testing';
import { afterAll, afterEach } from 'vitest';
import { type PetstoreServer, type PetstoreServerOptions, startPetstoreServer } from '../testing';
import type { EgressFetchFunction } from './auth';
import { definitionOperations, type EndpointDefinition } from './definition';
import { documentBaseUrl, listOperations, parseDocument } from './openapi';
import type { Operation } from './operation';

/**
 * For a test file that calls Petstore peers: an egress fetch whose policy allows loopback
 * (closed after the file), and `petstore()`, which starts a peer (closed after each test),
 * reads its OpenAPI document through that fetch and gives its operations by id.
 */
export function usePetstore() {
  const policy = new EgressPolicy({ allow: ['127.0.0.1'] });
  const fetch: EgressFetchFunction = (url, init) => egressFetch(policy, url, init);
  const servers: PetstoreServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  afterAll(async () => {
    await closeEgressDispatcher(policy);
  });
  async function petstore(options: PetstoreServerOptions = {}) {
    const server = await startPetstoreServer(options);
    servers.push(server);
    const response = await fetch(server.openApiUrl, {});
    const document = parseDocument(new TextDecoder().decode(response.body));
    const operations = listOperations(document);
    const operation = (id: string) => operations.find((item) => item.id === id)!;
    const baseUrl = documentBaseUrl(document, server.openApiUrl)!;
    return { server, operation, baseUrl };
  }
  return { fetch, petstore };
}

/** The operation of one endpoint of a small definition (for the peer's test controls). */
export function endpoint(definition: EndpointDefinition): Operation {
  return definitionOperations({
    name: 'peer',
    baseUrl: 'http://127.0.0.1',
    endpoints: [definition],
  })[0]!;
}

/** The BotwireError a promise rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<BotwireError> {
  try {
    await promise;
  } catch (error) {
    if (isBotwireError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}
