/** A note of the demo API. */
export interface DemoNote {
  id: number;
  title: string;
  text: string;
  /** ISO 8601, such as `2026-11-20T09:15:00Z`. */
  created_at: string;
}

/** One request the demo API received. */
export interface DemoApiRequest {
  method: string;
  /** The path, without the query. */
  path: string;
  /** The path and query as sent. */
  url: string;
  query: Record<string, string>;
  /** Headers, names in lower case. */
  headers: Record<string, string>;
  /** The body as text (`''` when none). */
  body: string;
}

/** Options of {@link startDemoApi}. */
export interface DemoApiOptions {
  /** The port on 127.0.0.1; default 0, a free one. */
  port?: number;
  /** The bearer token the notes need; default `demo-token`. */
  token?: string;
  /** Called with one line per request answered (`GET /notes → 200`); never the token. */
  log?: (line: string) => void;
}

/** A running demo API. */
export interface DemoApi {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `<url>/openapi.json` */
  openApiUrl: string;
  /** The bearer token it accepts. */
  token: string;
  /** Every request, in order. */
  requests: DemoApiRequest[];
  /** The notes, as they are now. */
  notes: DemoNote[];
  close(): Promise<void>;
}

/**
 * Starts the demo notes API on 127.0.0.1 with four seed notes; its OpenAPI 3.0.3 document is at
 * `openApiUrl`.
 *
 * @example
 * const api = await startDemoApi({ token: 'secret' });
 * // connect API ${api.openApiUrl} as demo token secret
 * await api.close();
 */
export function startDemoApi(options?: DemoApiOptions): Promise<DemoApi>;
