import { runEmbeddingModelContract } from '../contracts/embedding-model-contract';
import { lexicalEmbeddingModel } from './lexical-embeddings';

runEmbeddingModelContract('lexical', async () => ({ model: lexicalEmbeddingModel() }));
