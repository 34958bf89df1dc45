import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkTrainingInput } from './fal-peer-inputs';
import {
  type FalPeerCall,
  type FalPeerOutcome,
  type FalPeerRequest,
  type FalPeerWebhook,
  generationEndpoints,
  generationOutcome,
  invalid,
  type PeerFiles,
  readBody,
  send,
  trainerTriggers,
  trainingOutcome,
  webhookBody,
} from './fal-peer-requests';

export type { FalPeerCall, FalPeerRequest, FalPeerWebhook } from './fal-peer-requests';

/** Options of {@link startFalPeer}. */
export interface FalPeerOptions {
  /** The key callers must send as `Authorization: Key <apiKey>`. Default `peer-key-id:peer-secret`. */
  apiKey?: string;
  /** How long a request stays IN_QUEUE. Default 20 ms. */
  queueMs?: number;
  /** How long a generation runs (IN_PROGRESS). Default 30 ms. */
  generationMs?: number;
  /**
   * How long a training runs; `'manual'` (the default) keeps it IN_PROGRESS until
   * `peer.complete(id)` or `peer.fail(id, message)`, as a real training takes minutes.
   */
  trainingMs?: number | 'manual';
}

/** A running FAL queue peer. */
export interface FalPeer {
  /** `http://127.0.0.1:<port>`: give it to the driver as `queueUrl`. */
  readonly url: string;
  readonly apiKey: string;
  /** Every call received, in order. */
  readonly calls: FalPeerCall[];
  /** Every webhook call made, in order. */
  readonly webhooks: FalPeerWebhook[];
  /** Every request submitted, by id. */
  readonly requests: ReadonlyMap<string, FalPeerRequest>;
  /** Finishes a request now with its output (and calls its webhook); resolves when delivered. */
  complete(requestId: string): Promise<void>;
  /** Fails a request now with `message` (and calls its webhook); resolves when delivered. */
  fail(requestId: string, message: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a local server on 127.0.0.1 (a free port) that speaks FAL's queue API as fal.ai
 * documents it: `POST /{endpoint}[?fal_webhook=url]` → `{ request_id, status_url, response_url,
 * cancel_url }`; `GET /{owner}/{name}/requests/{id}/status[?logs=1]` → IN_QUEUE (with
 * `queue_position`) → IN_PROGRESS (with logs) → COMPLETED; `GET …/requests/{id}` → the output;
 * `PUT …/requests/{id}/cancel`. It checks `Authorization: Key …` (401), knows `fal-ai/flux-lora`
 * and the two LoRA trainers (404 for other apps and for a request of another app), and checks
 * inputs as the runner does: a bad input still queues, then completes with a 422 `detail` list
 * (result and webhook), as on FAL. Pictures are real PNGs that differ per prompt and seed (it
 * makes PNG even for `output_format: 'jpeg'`, labelled `image/png`); trainings produce
 * `.safetensors` weights at its own URLs, and a generation whose LoRA path is not one of them
 * fails as FAL does when it cannot download the weights. Files are served without a key, as
 * FAL's CDN does. Webhooks are POSTed once (FAL retries; the peer does not).
 *
 * @example
 * const peer = await startFalPeer();
 * const images = falImageGenerator({ apiKey: peer.apiKey, queueUrl: peer.url, pollIntervalMs: 10 });
 * const [picture] = await images.generate({ prompt: 'a fox' });
 * await peer.close();
 */
export async function startFalPeer(options: FalPeerOptions = {}): Promise<FalPeer> {
  const apiKey = options.apiKey ?? 'peer-key-id:peer-secret';
  const queueMs = options.queueMs ?? 20;
  const generationMs = options.generationMs ?? 30;
  const trainingMs = options.trainingMs ?? 'manual';
  const calls: FalPeerCall[] = [];
  const webhooks: FalPeerWebhook[] = [];
  const requests = new Map<string, FalPeerRequest>();
  const files: PeerFiles = new Map();
  const timers = new Set<NodeJS.Timeout>();
  let url = '';

  const later = (ms: number, task: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      task();
    }, ms);
    timers.add(timer);
  };
  const urls = (request: FalPeerRequest) => {
    const base = `${url}/${request.app}/requests/${request.id}`;
    return { response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
  };
  const position = (request: FalPeerRequest) =>
    [...requests.values()].filter((other) => other.state === 'IN_QUEUE').indexOf(request);

  async function deliver(request: FalPeerRequest): Promise<void> {
    if (!request.webhook || !request.outcome) return;
    const body = webhookBody(request, request.outcome);
    const entry: FalPeerWebhook = { url: request.webhook, body, answer: 0 };
    webhooks.push(entry);
    try {
      const answer = await fetch(request.webhook, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await answer.arrayBuffer();
      entry.answer = answer.status;
    } catch (error) {
      entry.answer = error instanceof Error ? error.message : String(error);
    }
  }

  function finish(request: FalPeerRequest, outcome: FalPeerOutcome): Promise<void> {
    if (request.state === 'COMPLETED') return Promise.resolve();
    request.state = 'COMPLETED';
    request.outcome = outcome;
    request.logs.push(outcome.ok ? 'Done.' : 'Failed.');
    return deliver(request);
  }

  function start(request: FalPeerRequest): void {
    if (request.state !== 'IN_QUEUE') return;
    request.state = 'IN_PROGRESS';
    request.logs.push('Runner picked up the request.');
    if (request.kind === 'generation') {
      later(generationMs, () => void finish(request, generationOutcome(request, files, url)));
      return;
    }
    const checked = checkTrainingInput(
      request.input,
      trainerTriggers[request.endpoint] ?? 'trigger_word',
    );
    if (!checked.ok) return void finish(request, invalid(checked.detail));
    request.logs.push(`Preprocessing ${checked.archive.length} bytes of images.`);
    if (trainingMs !== 'manual')
      later(trainingMs, () => void finish(request, trainingOutcome(request, files, url)));
  }

  function submit(
    endpoint: string,
    query: Record<string, string>,
    body: unknown,
    response: ServerResponse,
  ): number {
    const app = endpoint.split('/').slice(0, 2).join('/');
    const kind = generationEndpoints.has(endpoint)
      ? 'generation'
      : trainerTriggers[endpoint]
        ? 'training'
        : undefined;
    if (!kind) return send(response, 404, { detail: `Application '${app}' not found` });
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return send(response, 422, {
        detail: [{ loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' }],
      });
    }
    const request: FalPeerRequest = {
      id: randomUUID(),
      endpoint,
      app,
      kind,
      input: body as Record<string, unknown>,
      state: 'IN_QUEUE',
      logs: [],
      ...(query.fal_webhook ? { webhook: query.fal_webhook } : {}),
    };
    requests.set(request.id, request);
    later(queueMs, () => start(request));
    return send(response, 200, {
      request_id: request.id,
      gateway_request_id: request.id,
      ...urls(request),
    });
  }

  function queueRoute(
    method: string,
    app: string,
    id: string,
    action: string | undefined,
    query: Record<string, string>,
    response: ServerResponse,
  ): number {
    const request = requests.get(id);
    if (!request || request.app !== app)
      return send(response, 404, { detail: `Request ${id} not found` });
    if (method === 'GET' && action === 'status') {
      const logs =
        query.logs === '1'
          ? request.logs.map((message) => ({
              message,
              level: 'INFO',
              source: 'user',
              timestamp: new Date().toISOString(),
            }))
          : null;
      const failure = request.outcome && !request.outcome.ok ? request.outcome : undefined;
      const detail = (failure?.body as { detail?: unknown } | undefined)?.detail;
      const failed = failure
        ? {
            error: typeof detail === 'string' ? detail : `Invalid status code: ${failure.status}`,
            error_type: (failure.body as { error_type?: string }).error_type ?? null,
          }
        : {};
      if (request.state === 'IN_QUEUE')
        return send(response, 202, {
          status: 'IN_QUEUE',
          request_id: id,
          queue_position: position(request),
          ...urls(request),
        });
      if (request.state === 'IN_PROGRESS')
        return send(response, 202, {
          status: 'IN_PROGRESS',
          request_id: id,
          logs,
          ...urls(request),
        });
      return send(response, 200, {
        status: 'COMPLETED',
        request_id: id,
        logs,
        metrics: {},
        ...failed,
        ...urls(request),
      });
    }
    if (method === 'GET' && action === undefined) {
      if (!request.outcome) return send(response, 400, { detail: 'Request is still in progress' });
      if (request.outcome.ok) return send(response, 200, request.outcome.output);
      return send(response, request.outcome.status, request.outcome.body);
    }
    if (method === 'PUT' && action === 'cancel') {
      if (request.state === 'COMPLETED')
        return send(response, 400, { status: 'ALREADY_COMPLETED' });
      void finish(request, { ok: false, status: 400, body: { detail: 'Request was cancelled' } });
      return send(response, 202, { status: 'CANCELLATION_REQUESTED' });
    }
    return send(response, 405, { detail: 'Method Not Allowed' });
  }

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const parsed = new URL(incoming.url ?? '/', 'http://peer');
    const query = Object.fromEntries(parsed.searchParams);
    const method = incoming.method ?? 'GET';
    const path = parsed.pathname;
    const text = await readBody(incoming);
    const authorized = incoming.headers.authorization === `Key ${apiKey}`;
    const call: FalPeerCall = { method, path, query, authorized, answer: 0 };
    calls.push(call);
    const file = files.get(`${url}${path}`);
    if (method === 'GET' && file) {
      response.writeHead(200, { 'content-type': file.type, 'content-length': file.data.length });
      response.end(file.data);
      call.answer = 200;
      return;
    }
    if (!incoming.headers.authorization) {
      call.answer = send(response, 401, {
        detail: 'Authentication is required to access this application.',
      });
      return;
    }
    if (!authorized) {
      call.answer = send(response, 401, { detail: 'No user found for Key ID and Secret' });
      return;
    }
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[2] === 'requests' && parts[3]) {
      call.answer = queueRoute(
        method,
        `${parts[0]}/${parts[1]}`,
        parts[3],
        parts[4],
        query,
        response,
      );
      return;
    }
    if (method !== 'POST' || parts.length < 2) {
      call.answer = send(response, 404, { detail: 'Not Found' });
      return;
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      call.answer = send(response, 422, {
        detail: [{ loc: ['body'], msg: 'Invalid JSON', type: 'value_error.jsondecode' }],
      });
      return;
    }
    call.body = body;
    call.answer = submit(parts.join('/'), query, body, response);
  }

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { detail: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const pending = (id: string) => {
    const request = requests.get(id);
    if (!request) throw new Error(`The FAL peer has no request ${id}.`);
    return request;
  };

  return {
    url,
    apiKey,
    calls,
    webhooks,
    requests,
    complete(requestId) {
      const request = pending(requestId);
      const outcome =
        request.kind === 'training'
          ? trainingOutcome(request, files, url)
          : generationOutcome(request, files, url);
      return finish(request, outcome);
    },
    fail(requestId, message) {
      return finish(pending(requestId), {
        ok: false,
        status: 500,
        body: { detail: message, error_type: 'runner_disconnected' },
      });
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
