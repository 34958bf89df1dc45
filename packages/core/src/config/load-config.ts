import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createJiti } from 'jiti';
import { BotwireError } from '../errors/botwire-error';
import type { BotConfig } from './define-config';
import { loadEnvFile } from './env-file';
import { validateConfig } from './validate-config';

/** The names `botwire` looks for, in this order, when no --config is given. */
export const configFileNames = [
  'botwire.config.ts',
  'botwire.config.mts',
  'botwire.config.js',
  'botwire.config.mjs',
  'botwire.config.json',
] as const;

/** A config read from disk, with the places it implies. */
export interface LoadedConfig {
  config: BotConfig;
  /** The config file's absolute path. */
  path: string;
  /** The folder the config lives in: relative paths in it are relative to this. */
  rootDir: string;
  /** The data directory: BOTWIRE_DATA_DIR, else config.dataDir, else `./data` beside the config. */
  dataDir: string;
  /** Names of the variables that `.env` beside the config set (their values are secrets). */
  envNames: string[];
}

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Where to look when no path is given. Default: the current directory. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Finds the config file in `cwd`; undefined when there is none. */
export function findConfigFile(cwd: string): string | undefined {
  for (const name of configFileNames) {
    const candidate = join(cwd, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Loads `botwire.config.ts`/`.js`/`.json`: reads `.env` beside it first (without overriding
 * the real environment), evaluates the file, and validates it. Errors name every bad field.
 */
export async function loadConfig(
  path?: string,
  options: LoadConfigOptions = {},
): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const file = path ? (isAbsolute(path) ? path : resolve(cwd, path)) : findConfigFile(cwd);
  if (!file || !existsSync(file)) {
    throw new BotwireError('BOTWIRE_CONFIG_NOT_FOUND', {
      message: file ? `No config file at ${file}.` : `No ${configFileNames.join(', ')} in ${cwd}.`,
      hint: 'Pass --config <file>, or create a bot with `botwire init <dir>`.',
    });
  }
  const rootDir = dirname(file);
  const envNames = loadEnvFile(join(rootDir, '.env'), env);
  const config = await evaluateConfig(file);
  const problems = validateConfig(config).map((problem) => ({ ...problem, file }));
  if (problems.length > 0) throw new BotwireError('BOTWIRE_CONFIG_INVALID', { problems });
  return { config, path: file, rootDir, dataDir: resolveDataDir(config, rootDir, env), envNames };
}

/** The data directory for a config: BOTWIRE_DATA_DIR, else `dataDir`, else `./data`, relative to the config. */
export function resolveDataDir(
  config: BotConfig,
  rootDir: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const chosen = env.BOTWIRE_DATA_DIR || config.dataDir || './data';
  return resolve(rootDir, chosen);
}

async function evaluateConfig(file: string): Promise<BotConfig> {
  try {
    if (file.endsWith('.json')) return JSON.parse(readFileSync(file, 'utf8')) as BotConfig;
    const jiti = createJiti(import.meta.url, { moduleCache: false });
    const module = (await jiti.import(file)) as { default?: BotConfig } | BotConfig;
    const config = (module as { default?: BotConfig }).default ?? module;
    return (typeof config === 'function' ? await (config as () => unknown)() : config) as BotConfig;
  } catch (error) {
    throw new BotwireError('BOTWIRE_CONFIG_LOAD_FAILED', {
      message: `Could not load ${file}: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
}
