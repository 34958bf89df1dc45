/**
 * Test peers for the integrations skill: a small Petstore on loopback that serves its own
 * OpenAPI document, checks auth honestly and records every request.
 */
export { type PetstoreAuthOptions, petstoreDocument } from './petstore-document';
export {
  type Pet,
  type PetstoreServer,
  type PetstoreServerOptions,
  type RecordedRequest,
  startPetstoreServer,
} from './petstore-server';
