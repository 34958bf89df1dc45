/**
 * @botwire/vector-qdrant — the vector index driver for Qdrant: give `qdrantVectorIndex({...})` to
 * a bot as its `vectors`. A local Qdrant protocol peer for tests is in
 * `@botwire/vector-qdrant/testing`.
 */
export { type QdrantVectorIndexOptions, qdrantVectorIndex } from './qdrant-vector-index';
