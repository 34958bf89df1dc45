import {
  BotwireError,
  type TrainingRequest,
  type TrainingStatus,
  type TrainingUpdate,
} from '@botwire/core';
import {
  appOf,
  callQueue,
  type FalQueueConnection,
  type FalQueueStatus,
  falMessage,
  providerFailed,
} from './fal-queue';

/** FAL's trainer endpoints, one per kind of personal model. */
export interface FalTrainingModels {
  portrait: string;
  style: string;
}

/**
 * The trainer input for a request. The portrait trainer names its trigger `trigger_phrase`;
 * the fast trainer takes `trigger_word`, and `is_style` for a style (no masks, no captions).
 */
export function trainingInput(request: TrainingRequest): Record<string, unknown> {
  const images_data_url = `data:application/zip;base64,${Buffer.from(request.archive).toString('base64')}`;
  const steps = request.steps === undefined ? {} : { steps: request.steps };
  if (request.kind === 'portrait') {
    return { images_data_url, trigger_phrase: request.triggerWord, ...steps };
  }
  return {
    images_data_url,
    trigger_word: request.triggerWord,
    is_style: true,
    create_masks: false,
    ...steps,
  };
}

function checkTrainingRequest(request: TrainingRequest, models: FalTrainingModels): string {
  const model = models[request.kind];
  if (typeof model !== 'string') {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `kind must be "portrait" or "style", not ${JSON.stringify(request.kind)}.`,
    });
  }
  const archive = request.archive;
  const zipHeader = [0x50, 0x4b, 0x03, 0x04]; // "PK\3\4": a zip's first local file header
  if (
    !(archive instanceof Uint8Array) ||
    !zipHeader.every((byte, index) => archive[index] === byte)
  ) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: 'archive must be a zip of the photos (a Uint8Array starting with "PK").',
    });
  }
  if (!request.triggerWord?.trim()) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: 'triggerWord must be a non-empty word, such as "TOK".',
    });
  }
  return model;
}

/**
 * Submits a training request (with `?fal_webhook=` when the request has a webhookUrl) and
 * resolves with FAL's request id, which is the job id.
 */
export async function startTraining(
  connection: FalQueueConnection,
  models: FalTrainingModels,
  request: TrainingRequest,
): Promise<{ jobId: string; model: string }> {
  const model = checkTrainingRequest(request, models);
  const query = request.webhookUrl ? `?fal_webhook=${encodeURIComponent(request.webhookUrl)}` : '';
  const answer = await callQueue(connection, 'POST', `${model}${query}`, {
    body: trainingInput(request),
    signal: request.signal,
  });
  if (!answer.ok) throw providerFailed(`${model} refused the training: ${answer.message}`);
  const requestId = (answer.body as { request_id?: unknown })?.request_id;
  if (typeof requestId !== 'string')
    throw providerFailed('the queue answered without a request_id.');
  return { jobId: requestId, model };
}

/**
 * Where a training request is. The job id is FAL's request id, which does not say which trainer
 * ran it; `models` are the trainers to ask, in order (the one that started it first, when this
 * process knows it). FAL answers 404 for a request of another app, so the next one is asked.
 */
export async function readTrainingStatus(
  connection: FalQueueConnection,
  models: string[],
  jobId: string,
  signal: AbortSignal | undefined,
): Promise<TrainingStatus> {
  if (typeof jobId !== 'string' || !jobId.trim()) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: 'jobId must be the id train() returned.',
    });
  }
  for (const model of models) {
    const base = `${appOf(model)}/requests/${encodeURIComponent(jobId)}`;
    const answer = await callQueue(connection, 'GET', `${base}/status?logs=1`, { signal });
    if (!answer.ok && answer.status === 404) continue;
    if (!answer.ok) throw providerFailed(`status of training ${jobId}: ${answer.message}`);
    const status = answer.body as FalQueueStatus;
    if (status?.status === 'IN_QUEUE') {
      return typeof status.queue_position === 'number'
        ? { state: 'queued', position: status.queue_position }
        : { state: 'queued' };
    }
    if (status?.status === 'IN_PROGRESS') {
      const logs = (status.logs ?? []).map((entry) => entry.message);
      return logs.length ? { state: 'running', logs } : { state: 'running' };
    }
    if (status?.status !== 'COMPLETED') {
      throw providerFailed(
        `unknown status ${JSON.stringify(status?.status)} of training ${jobId}.`,
      );
    }
    const result = await callQueue(connection, 'GET', base, { signal });
    if (!result.ok) {
      if (result.status === 401 || result.status === 403) {
        throw providerFailed(`result of training ${jobId}: ${result.message}`);
      }
      return { state: 'failed', error: result.message || status.error || 'the training failed' };
    }
    return trainingOutcome(result.body, status.error ?? undefined);
  }
  throw providerFailed(
    `no training request ${jobId} at ${models.join(' or ')}; it is not a job id of this driver, or FAL no longer keeps it.`,
  );
}

function trainingOutcome(payload: unknown, error?: string): TrainingStatus {
  const url = (payload as { diffusers_lora_file?: { url?: unknown } })?.diffusers_lora_file?.url;
  if (typeof url === 'string' && url) return { state: 'completed', model: url };
  return { state: 'failed', error: error ?? falMessage(payload, 'the trainer made no weights') };
}

function webhookBody(body: unknown): Record<string, unknown> | undefined {
  let value = body;
  if (value instanceof Uint8Array) value = new TextDecoder().decode(value);
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Reads FAL's webhook body `{ request_id, gateway_request_id, status: 'OK' | 'ERROR', payload,
 * error }` (a parsed object, JSON text or bytes). The job id is `request_id`, the same id
 * train() returned. Throws BOTWIRE_INVALID_ARGUMENT for anything else, including an OK call
 * without LoRA weights (not a training, or a payload FAL could not attach: `payload_error`).
 */
export function parseFalWebhook(body: unknown): TrainingUpdate {
  const call = webhookBody(body);
  const invalid = (why: string) =>
    new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `Not a FAL training webhook: ${why}.`,
      hint: 'Answer 400. When FAL could not attach the result, poll trainingStatus(jobId).',
    });
  if (!call) throw invalid('the body is not a JSON object');
  const { request_id: jobId, status, payload, error } = call;
  if (typeof jobId !== 'string' || !jobId) throw invalid('request_id is missing');
  if (status === 'ERROR') {
    const detail = falMessage(payload, '');
    const words = [typeof error === 'string' ? error : '', detail].filter(Boolean).join(': ');
    return { jobId, status: { state: 'failed', error: words || 'the training failed' } };
  }
  if (status !== 'OK') throw invalid(`status is ${JSON.stringify(status)}, not "OK" or "ERROR"`);
  const url = (payload as { diffusers_lora_file?: { url?: unknown } })?.diffusers_lora_file?.url;
  if (typeof url !== 'string' || !url) {
    const why = typeof call.payload_error === 'string' ? `: ${call.payload_error}` : '';
    throw invalid(`the payload has no diffusers_lora_file.url${why}`);
  }
  return { jobId, status: { state: 'completed', model: url } };
}
