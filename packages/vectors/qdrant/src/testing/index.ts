/**
 * @botwire/vector-qdrant/testing — a local server that speaks the Qdrant REST protocol, for
 * testing this driver (and bots that use it) with the real `@qdrant/js-client-rest` client on
 * loopback.
 */
export {
  type QdrantPeer,
  type QdrantPeerCollection,
  type QdrantPeerOptions,
  type QdrantPeerRequest,
  startQdrantPeer,
} from './qdrant-peer';
