import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { CheckContext, CheckResult } from './doctor-check';

const run = promisify(execFile);

/** The oldest Node.js Botwire runs on (the `engines` field of every package). */
export const minimumNode = [20, 19] as const;

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first executable `name` on `PATH`, or undefined. */
export function findOnPath(name: string, pathVariable: string): string | undefined {
  for (const folder of pathVariable.split(delimiter)) {
    if (folder !== '' && isExecutable(join(folder, name))) return join(folder, name);
  }
  return undefined;
}

/** Node.js is 20.19 or newer. */
export function checkNode(version: string): CheckResult {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const [needMajor, needMinor] = minimumNode;
  const recent = major > needMajor || (major === needMajor && minor >= needMinor);
  return recent
    ? { name: 'node', status: 'ok', message: `Node.js ${version}` }
    : {
        name: 'node',
        status: 'fail',
        message: `Node.js ${version} is older than ${needMajor}.${needMinor}, the oldest Botwire runs on`,
        fix: `install Node.js ${needMajor}.${needMinor} or newer (https://nodejs.org, or: nvm install 22)`,
      };
}

/** The pnpm 10 that `npx pnpm@10` would run from npx's cache, without asking the registry. */
function pnpmInNpxCache(env: CheckContext['env']): string | undefined {
  const cache = join(env.npm_config_cache || join(homedir(), '.npm'), '_npx');
  if (!existsSync(cache)) return undefined;
  for (const entry of readdirSync(cache)) {
    const manifest = join(cache, entry, 'node_modules/pnpm/package.json');
    if (!existsSync(manifest)) continue;
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string };
    if (version?.startsWith('10.')) return version;
  }
  return undefined;
}

/**
 * pnpm, which this repository's commands use: the pnpm running this command, one on PATH, or
 * pnpm 10 in npx's cache (what `npx pnpm@10` runs). Missing is a warning: a bot of your own
 * can use npm, and `npx --yes pnpm@10` downloads it when the registry is reachable.
 */
export async function checkPnpm(context: CheckContext): Promise<CheckResult> {
  const agent = /pnpm\/(\S+)/.exec(context.env.npm_config_user_agent ?? '');
  if (agent) return { name: 'pnpm', status: 'ok', message: `pnpm ${agent[1]} (runs this command)` };
  const onPath = findOnPath('pnpm', context.env.PATH ?? '');
  if (onPath) {
    try {
      const { stdout } = await run(onPath, ['--version'], { timeout: 10_000, env: context.env });
      return { name: 'pnpm', status: 'ok', message: `pnpm ${stdout.trim()} at ${onPath}` };
    } catch {
      // A broken pnpm on PATH: look further.
    }
  }
  const cached = pnpmInNpxCache(context.env);
  if (cached) {
    return { name: 'pnpm', status: 'ok', message: `pnpm ${cached} in npx's cache (npx pnpm@10)` };
  }
  return {
    name: 'pnpm',
    status: 'warn',
    message:
      'pnpm is not on PATH nor in npx cache: `npx --yes pnpm@10` will download it (needs the npm registry)',
    fix: 'npm install -g pnpm@10',
  };
}

/** Chromium for the browser skill and the web chat's browser tests (optional). */
export async function checkChromium(context: CheckContext): Promise<CheckResult> {
  const path = context.env.BOTWIRE_CHROMIUM_PATH || '/usr/bin/chromium';
  if (!isExecutable(path)) {
    return {
      name: 'chromium',
      status: 'warn',
      message: `no Chromium at ${path}: the browser skill (/browse, /screenshot, /webpdf) and the web chat's browser tests need it`,
      fix: 'apt-get install -y chromium (or set BOTWIRE_CHROMIUM_PATH to your Chromium)',
    };
  }
  try {
    const { stdout } = await run(path, ['--version'], { timeout: context.timeoutMs });
    return { name: 'chromium', status: 'ok', message: `${stdout.trim()} at ${path}` };
  } catch (error) {
    return {
      name: 'chromium',
      status: 'warn',
      message: `${path} did not run: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      fix: 'reinstall it: apt-get install -y --reinstall chromium',
    };
  }
}

/**
 * An optional program from the system: ok with where each one is, else a warning saying what
 * does not work without it and how to install it.
 */
function programsCheck(
  context: CheckContext,
  check: { name: string; programs: string[]; label?: string; missing: string; fix: string },
): CheckResult {
  const found = check.programs.map((program) => findOnPath(program, context.env.PATH ?? ''));
  if (found.every(Boolean))
    return {
      name: check.name,
      status: 'ok',
      message: check.programs
        .map(
          (program, index) =>
            `${index === 0 && check.label ? check.label : program} at ${found[index]}`,
        )
        .join(', '),
    };
  return {
    name: check.name,
    status: 'warn',
    message: `no ${check.programs.join('/')} on PATH: ${check.missing}`,
    fix: check.fix,
  };
}

/** ffmpeg and ffprobe, which the avatar skill splits long audio with before transcribing (optional). */
export function checkFfmpeg(context: CheckContext): CheckResult {
  return programsCheck(context, {
    name: 'ffmpeg',
    programs: ['ffmpeg', 'ffprobe'],
    missing: 'the avatar skill cannot transcribe voice messages and audio files',
    fix: 'apt-get install -y ffmpeg',
  });
}

/** espeak-ng, the embedded text-to-speech voice (with ffmpeg for OGG/Opus), for voice replies (optional). */
export function checkEspeak(context: CheckContext): CheckResult {
  return programsCheck(context, {
    name: 'espeak-ng',
    programs: ['espeak-ng'],
    missing:
      'the embedded speech driver cannot make voice replies (configure `speech`, or install it)',
    fix: 'apt-get install -y espeak-ng ffmpeg',
  });
}

/** poppler's `pdftotext`, which the PDF skill's tests read PDFs back with (optional). */
export function checkPdftotext(context: CheckContext): CheckResult {
  return programsCheck(context, {
    name: 'pdftotext',
    programs: ['pdftotext'],
    label: "poppler's pdftotext",
    missing: "the PDF skill's tests skip the checks that read PDFs back",
    fix: 'apt-get install -y poppler-utils',
  });
}
