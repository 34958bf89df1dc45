import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkGenerationInput, checkTrainingInput, type FalDetail } from './fal-peer-inputs';
import { loraWeights, patternPng } from './peer-files';

/** One HTTP call the peer received (the key itself is never recorded). */
export interface FalPeerCall {
  method: string;
  /** The path without the query, such as `/fal-ai/flux-lora/requests/<id>/status`. */
  path: string;
  query: Record<string, string>;
  /** Whether it carried the right `Authorization: Key …`. */
  authorized: boolean;
  /** The JSON body of a submit. */
  body?: unknown;
  /** The HTTP status the peer answered. */
  answer: number;
}

/** A webhook call the peer made when a request with `fal_webhook` finished. */
export interface FalPeerWebhook {
  url: string;
  body: Record<string, unknown>;
  /** The receiver's HTTP status, or the network error. */
  answer: number | string;
}

/** Answers `body` as JSON with `status`; returns the status, for the call record. */
export function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers = {},
): number {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
  return status;
}

/** The whole body of a request, as text. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** How a request ended: the output, or the error status and body FAL would answer. */
export type FalPeerOutcome =
  | { ok: true; output: unknown }
  | { ok: false; status: number; body: unknown };

/** A request in the peer's queue. */
export interface FalPeerRequest {
  id: string;
  /** The endpoint it was submitted to, such as `fal-ai/flux-lora`. */
  endpoint: string;
  /** `owner/name`: where its status and result are. */
  app: string;
  kind: 'generation' | 'training';
  input: Record<string, unknown>;
  state: 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED';
  logs: string[];
  webhook?: string;
  /** Set once COMPLETED: the output, or the error FAL would answer. */
  outcome?: FalPeerOutcome;
}

/** Files the peer serves without a key, by full URL. */
export type PeerFiles = Map<string, { data: Uint8Array; type: string }>;

/** The endpoints the peer runs: flux-lora makes pictures, the trainers LoRA weights. */
export const generationEndpoints = new Set(['fal-ai/flux-lora']);

/** The trainers the peer runs, with the name each gives its trigger. */
export const trainerTriggers: Record<string, 'trigger_word' | 'trigger_phrase'> = {
  'fal-ai/flux-lora-fast-training': 'trigger_word',
  'fal-ai/flux-lora-portrait-trainer': 'trigger_phrase',
};

/** The 422 FAL answers for input its schema refuses. */
export const invalid = (detail: FalDetail[]): FalPeerOutcome => ({
  ok: false,
  status: 422,
  body: { detail },
});

/** FAL's webhook body for a finished request. */
export function webhookBody(request: FalPeerRequest, outcome: FalPeerOutcome) {
  return {
    request_id: request.id,
    gateway_request_id: request.id,
    status: outcome.ok ? 'OK' : 'ERROR',
    payload: outcome.ok ? outcome.output : outcome.body,
    error: outcome.ok ? null : `Invalid status code: ${outcome.status}`,
  };
}

/**
 * Runs a flux-lora request: its pictures (stored in `files` under the peer's URL), or the 422
 * FAL answers for bad input or LoRA weights it cannot download (any path but the peer's own).
 */
export function generationOutcome(
  request: FalPeerRequest,
  files: PeerFiles,
  url: string,
): FalPeerOutcome {
  const checked = checkGenerationInput(request.input);
  if (!checked.ok) return invalid(checked.detail);
  const { plan } = checked;
  const unknown = plan.loras.find((path) => !files.has(path));
  if (unknown !== undefined) {
    return invalid([
      {
        loc: ['body', 'loras', plan.loras.indexOf(unknown), 'path'],
        msg: `Failed to download LoRA weights from ${unknown}`,
        type: 'lora_download_error',
      },
    ]);
  }
  const images = Array.from({ length: plan.count }, (_, index) => {
    const key = `${plan.prompt}\n${plan.seed}\n${index}\n${plan.loras.join(',')}`;
    const name = `${url}/files/${request.id}/image-${index}.png`;
    const data = patternPng(plan.width, plan.height, key);
    files.set(name, { data, type: 'image/png' });
    return { url: name, width: plan.width, height: plan.height, content_type: 'image/png' };
  });
  return {
    ok: true,
    output: {
      images,
      seed: plan.seed,
      prompt: plan.prompt,
      has_nsfw_concepts: images.map(() => false),
    },
  };
}

/** Runs a training: its weights and config (stored in `files`), or the 422 for bad input. */
export function trainingOutcome(
  request: FalPeerRequest,
  files: PeerFiles,
  url: string,
): FalPeerOutcome {
  const triggerField = trainerTriggers[request.endpoint] ?? 'trigger_word';
  const checked = checkTrainingInput(request.input, triggerField);
  if (!checked.ok) return invalid(checked.detail);
  const weights = `${url}/files/${request.id}/pytorch_lora_weights.safetensors`;
  const config = `${url}/files/${request.id}/config.json`;
  const data = loraWeights(`${request.id}:${checked.archive.length}`, {
    trigger: checked.trigger,
  });
  const configData = Buffer.from(
    JSON.stringify({ trigger: checked.trigger, steps: request.input.steps ?? 1000 }),
  );
  files.set(weights, { data, type: 'application/octet-stream' });
  files.set(config, { data: configData, type: 'application/json' });
  return {
    ok: true,
    output: {
      diffusers_lora_file: {
        url: weights,
        content_type: 'application/octet-stream',
        file_name: 'pytorch_lora_weights.safetensors',
        file_size: data.length,
      },
      config_file: {
        url: config,
        content_type: 'application/json',
        file_name: 'config.json',
        file_size: configData.length,
      },
    },
  };
}
