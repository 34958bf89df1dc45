import { relative, resolve } from 'node:path';
import {
  type AdapterEntry,
  type BotConfig,
  findConfigFile,
  isBotwireError,
  type LoadedConfig,
  loadConfig,
} from '@botwire/core';
import { checkAdapters } from './adapter-checks';
import { checkDataDir } from './data-dir-check';
import type { CheckContext, CheckResult } from './doctor-check';
import { checkEngines } from './engine-checks';
import {
  checkChromium,
  checkEspeak,
  checkFfmpeg,
  checkNode,
  checkPdftotext,
  checkPnpm,
} from './machine-checks';
import { checkModel } from './model-check';
import { checkPort, type HttpTarget } from './port-check';

/** Options for {@link runDoctor}. */
export interface DoctorOptions {
  /** The bot config; default: botwire.config.* in `cwd`, else the machine alone is checked. */
  configPath?: string;
  /** Default `process.cwd()`. */
  cwd?: string;
  /** Default `process.env`; `.env` beside the config fills it, as `botwire start` does. */
  env?: Record<string, string | undefined>;
  /** The time limit of each network request, in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Default `process.versions.node`. */
  nodeVersion?: string;
}

/** Every check's result, in the order printed. */
export interface DoctorReport {
  /** The config file checked, when there was one. */
  config?: string;
  checks: CheckResult[];
  /** False when a required check failed (the command then exits 1). */
  ok: boolean;
}

/** The config, or the check that says why there is none. */
async function readConfig(
  options: DoctorOptions,
  cwd: string,
): Promise<{ loaded?: LoadedConfig; check: CheckResult }> {
  const path = options.configPath ?? findConfigFile(cwd);
  if (!path) {
    return {
      check: {
        name: 'config',
        status: 'warn',
        message: `no botwire.config.* in ${cwd}: only this machine was checked`,
        fix: 'pass --config <file> (the assistant: --config examples/assistant/botwire.config.ts)',
      },
    };
  }
  try {
    const loaded = await loadConfig(path, {
      cwd,
      ...(options.env ? { env: options.env as NodeJS.ProcessEnv } : {}),
    });
    return {
      loaded,
      check: { name: 'config', status: 'ok', message: `${relative(cwd, loaded.path)} is valid` },
    };
  } catch (error) {
    const problems = isBotwireError(error)
      ? error.problems.map((problem) => `${problem.path}: ${problem.message}`)
      : [];
    const message = [error instanceof Error ? error.message : String(error), ...problems].join(
      '; ',
    );
    return {
      check: {
        name: 'config',
        status: 'fail',
        message,
        fix:
          (isBotwireError(error) ? error.hint : undefined) ??
          'fix the fields named above (docs/reference/configuration.md)',
      },
    };
  }
}

const adapterName = (entry: AdapterEntry) =>
  (typeof entry === 'object' && 'start' in entry
    ? entry.name
    : typeof entry === 'string'
      ? entry
      : entry.use
  ).replace(/^@botwire\/adapter-/, '');

/** Where the HTTP server listens, and whether this config starts it. */
function httpTarget(config: BotConfig | undefined, env: CheckContext['env']): HttpTarget {
  const http = typeof config?.http === 'object' ? config.http : {};
  const names = (config?.adapters ?? []).map(adapterName);
  const webhook = env.TELEGRAM_MODE === 'webhook' || Boolean(env.TELEGRAM_WEBHOOK_URL);
  return {
    host: http.host ?? (env.HOST || '127.0.0.1'),
    port: http.port ?? (env.PORT ? Number(env.PORT) : 3000),
    used:
      typeof config?.http === 'object' ||
      names.includes('web') ||
      (names.includes('telegram') && webhook),
  };
}

/**
 * Checks what a bot needs on this machine: Node.js, pnpm, the config, the data directory, the
 * HTTP port, Chromium, poppler, the model endpoint, each engine the config names (MongoDB,
 * Redis, Qdrant) and each adapter's token. Network checks make real requests, each with a
 * time limit, all at once.
 *
 * @example
 * const report = await runDoctor({ configPath: 'examples/assistant/botwire.config.ts' });
 * if (!report.ok) process.exitCode = 1;
 */
export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const { loaded, check: configCheck } = await readConfig(options, cwd);
  const context: CheckContext = {
    env,
    rootDir: loaded?.rootDir ?? cwd,
    timeoutMs: options.timeoutMs ?? 5000,
  };
  const config = loaded?.config;
  const dataDir = loaded?.dataDir ?? resolve(cwd, env.BOTWIRE_DATA_DIR || './data');
  const modelFromEnv = env.BOTWIRE_MODEL?.trim();
  const configModel = typeof config?.model === 'object' ? config.model.use : config?.model;
  const portCheck: Promise<CheckResult> =
    config?.http === false
      ? Promise.resolve({
          name: 'port',
          status: 'ok',
          message: 'the HTTP server is off (http: false)',
        })
      : checkPort(httpTarget(config, env));
  const checks = await Promise.all([
    checkNode(options.nodeVersion ?? process.versions.node),
    checkPnpm(context),
    configCheck,
    checkDataDir(dataDir),
    portCheck,
    checkChromium(context),
    checkPdftotext(context),
    checkFfmpeg(context),
    checkEspeak(context),
    checkModel(
      modelFromEnv
        ? { spec: modelFromEnv, source: 'BOTWIRE_MODEL' }
        : { spec: configModel, source: 'model' },
      context,
    ),
    checkEngines(config, context),
    checkAdapters(config?.adapters ?? [], context),
  ]);
  const flat = checks.flat();
  return {
    ...(loaded ? { config: loaded.path } : {}),
    checks: flat,
    ok: flat.every((check) => check.status !== 'fail'),
  };
}
