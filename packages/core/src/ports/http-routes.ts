import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';

/** The state of one dependency, as `/ready` reports it. */
export interface ReadinessResult {
  ok: boolean;
  /** What is wrong, when it is not ok. */
  error?: string;
  /** Extra facts (a circuit breaker's state, a queue's length). */
  details?: Record<string, unknown>;
}

/** A named check `/ready` runs: storage, model, queue, ... */
export type ReadinessCheck = () => Promise<ReadinessResult> | ReadinessResult;

/** One route in the OpenAPI document. */
export interface RouteDocument {
  method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  /** An OpenAPI path, such as `/api/v1/chat` or `/api/v1/artifacts/{id}`. */
  path: string;
  summary: string;
  /** Requires `Authorization: Bearer <token>`. */
  auth?: boolean;
  /** JSON Schema of the request body. */
  requestBody?: Record<string, unknown>;
  /** JSON Schemas (or plain descriptions) of the responses, by status code. */
  responses: Record<
    string,
    { description: string; schema?: Record<string, unknown>; contentType?: string }
  >;
}

/** Answers one HTTP request with the web platform's Request and Response. */
export type RouteHandler = (request: Request) => Response | Promise<Response>;

/**
 * What an adapter gets to serve HTTP: mount routes (a webhook, the web chat's API and page)
 * and WebSocket endpoints on the bot's server, add readiness checks and describe routes for
 * the OpenAPI document. The server behind it is the runtime's business.
 *
 * @example
 * routes.mount('/telegram/webhook', async (request) => new Response('ok'));
 */
export interface HttpRoutes {
  /** `http://host:port` once listening. */
  readonly url: string;
  /** The owner's API token (current: `/token` may rotate it). */
  readonly token: string;
  /**
   * Sends requests for `path` to `handler`, for every method. `path` may end in `/*` for a
   * whole subtree, and may hold `:name` segments. Routes mounted first win.
   */
  mount(path: string, handler: RouteHandler): void;
  /** Accepts WebSocket connections on a path. */
  websocket(
    path: string,
    onConnection: (socket: WebSocket, request: IncomingMessage) => void,
  ): void;
  /** Adds a named check to `/ready`. */
  addReadinessCheck(name: string, check: ReadinessCheck): void;
  /** Describes a route for the OpenAPI document. */
  describe(route: RouteDocument): void;
  /** True when the request carries `Authorization: Bearer <owner token>`. */
  isOwnerRequest(authorization: string | undefined): boolean;
}
