import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isBotwireError, modelPackageName, parseModelSpec } from '@botwire/core';
import type { CheckContext, CheckResult } from './doctor-check';
import { hideSecrets, type ProbeOutcome, probeHttp } from './probe-http';

/** The model the bot would use: `BOTWIRE_MODEL` over the config's `model`. */
export interface ModelSetting {
  /** Such as `openai:gpt-4o-mini`; empty or `none` for no model. */
  spec: string | undefined;
  /** Where it came from, for messages: `BOTWIRE_MODEL` or `model`. */
  source: string;
}

const fail = (message: string, fix: string): CheckResult => ({
  name: 'model',
  status: 'fail',
  message,
  fix,
});

/** A probe outcome other than a 200, as a failed check. */
function failedProbe(
  outcome: ProbeOutcome,
  endpoint: string,
  keyName: string,
  hostName: string,
  timeoutMs: number,
): CheckResult {
  if (outcome.kind === 'timeout') {
    return fail(
      `${endpoint} did not answer within ${timeoutMs} ms`,
      `check that the server runs and ${hostName} names it`,
    );
  }
  if (outcome.kind === 'unreachable') {
    return fail(
      `cannot reach ${endpoint} (${outcome.reason})`,
      `start the model server, or set ${hostName} to where it runs`,
    );
  }
  if (outcome.status === 401 || outcome.status === 403) {
    return fail(
      `${endpoint} refused the request (HTTP ${outcome.status}): the API key is missing or wrong`,
      `set ${keyName} to a valid key`,
    );
  }
  return fail(
    `${endpoint} answered HTTP ${outcome.status}`,
    `check ${hostName}: it must name the API's base URL`,
  );
}

/** OpenAI and OpenAI-compatible servers: `GET <base>/models`. */
async function checkOpenAi(model: string, context: CheckContext): Promise<CheckResult> {
  const key = context.env.OPENAI_API_KEY?.trim() || undefined;
  const base = (context.env.OPENAI_BASE_URL?.trim() || 'https://api.openai.com/v1').replace(
    /\/+$/,
    '',
  );
  if (!key && !context.env.OPENAI_BASE_URL?.trim()) {
    return fail(
      `openai:${model} needs an API key, and OPENAI_API_KEY is not set`,
      'set OPENAI_API_KEY (or OPENAI_BASE_URL for an OpenAI-compatible server that needs none)',
    );
  }
  const outcome = await probeHttp(`${base}/models`, {
    headers: key ? { Authorization: `Bearer ${key}` } : {},
    timeoutMs: context.timeoutMs,
    secrets: [key],
  });
  if (outcome.kind !== 'answer' || outcome.status !== 200) {
    return failedProbe(
      outcome,
      `${base}/models`,
      'OPENAI_API_KEY',
      'OPENAI_BASE_URL',
      context.timeoutMs,
    );
  }
  const listed = ((outcome.body as { data?: Array<{ id?: unknown }> }).data ?? []).map(
    (entry) => entry.id,
  );
  return listed.includes(model)
    ? { name: 'model', status: 'ok', message: `openai:${model} is served by ${base}` }
    : {
        name: 'model',
        status: 'warn',
        message: `${base} answers, but its ${listed.length} models do not include "${model}"`,
        fix: 'check the model name in BOTWIRE_MODEL (or model in the config)',
      };
}

/** `gpu-box` → `http://gpu-box:11434`, as the ollama client reads `OLLAMA_HOST`. */
function ollamaBase(host: string | undefined): string {
  const value = host?.trim();
  if (!value) return 'http://127.0.0.1:11434';
  if (/^[a-z]+:\/\//i.test(value)) return value.replace(/\/+$/, '');
  return /:\d+$/.test(value) ? `http://${value}` : `http://${value}:11434`;
}

/** Ollama: `GET /api/tags`, and the model among them. */
async function checkOllama(model: string, context: CheckContext): Promise<CheckResult> {
  const base = ollamaBase(context.env.OLLAMA_HOST);
  const key = context.env.OLLAMA_API_KEY?.trim() || undefined;
  const outcome = await probeHttp(`${base}/api/tags`, {
    headers: key ? { Authorization: `Bearer ${key}` } : {},
    timeoutMs: context.timeoutMs,
    secrets: [key],
  });
  if (outcome.kind !== 'answer' || outcome.status !== 200) {
    return failedProbe(
      outcome,
      `${base}/api/tags`,
      'OLLAMA_API_KEY',
      'OLLAMA_HOST',
      context.timeoutMs,
    );
  }
  const names = ((outcome.body as { models?: Array<{ name?: string }> }).models ?? []).map(
    (entry) => entry.name ?? '',
  );
  const wanted = model.includes(':') ? [model] : [model, `${model}:latest`];
  return names.some((name) => wanted.includes(name))
    ? { name: 'model', status: 'ok', message: `ollama:${model} is pulled on ${base}` }
    : fail(`${base} answers, but has no model "${model}"`, `ollama pull ${model}`);
}

/**
 * The chat model answers: the spec parses, its driver package is installed beside the bot,
 * its key is set, and a real request (`GET /models`, or `GET /api/tags` for Ollama) succeeds
 * within the time limit. No model is fine: the bot runs on commands and patterns.
 */
export async function checkModel(
  setting: ModelSetting,
  context: CheckContext,
): Promise<CheckResult> {
  let spec: ReturnType<typeof parseModelSpec>;
  try {
    spec = parseModelSpec(setting.spec, setting.source);
  } catch (error) {
    const hint = isBotwireError(error) ? error.hint : undefined;
    return fail(
      error instanceof Error ? error.message : String(error),
      hint ?? 'write openai:<model>, ollama:<model> or none',
    );
  }
  if (!spec) {
    return {
      name: 'model',
      status: 'ok',
      message: 'no model: commands and plain-language patterns only (BOTWIRE_MODEL adds one)',
    };
  }
  const driver = modelPackageName(spec.provider);
  try {
    createRequire(join(context.rootDir, 'botwire.config.js')).resolve(driver);
  } catch {
    return fail(
      `${setting.source} names ${spec.provider}:${spec.model}, but ${driver} is not installed beside the bot`,
      `install it in ${context.rootDir}: npm install ${driver} (or pnpm add ${driver})`,
    );
  }
  const result =
    spec.provider === 'ollama'
      ? await checkOllama(spec.model, context)
      : await checkOpenAi(spec.model, context);
  const secrets = [context.env.OPENAI_API_KEY, context.env.OLLAMA_API_KEY];
  return { ...result, message: hideSecrets(result.message, secrets) };
}
