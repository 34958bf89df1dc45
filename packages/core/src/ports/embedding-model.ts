/** The embeddings port. Drivers: lexical (embedded, no model), OpenAI, Ollama. */
export interface EmbeddingModel {
  /** `lexical`, `openai`, `ollama`, ... */
  readonly provider: string;
  readonly model: string;
  /** The length of every vector it returns, once known. */
  readonly dimensions?: number;
  /** One vector per text, in order. */
  embed(
    texts: string[],
    options?: { signal?: AbortSignal },
  ): Promise<{ vectors: number[][]; inputTokens?: number }>;
}
