import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AdapterEntry } from '@botwire/core';
import type { CheckContext, CheckResult } from './doctor-check';
import { originOf, probeHttp } from './probe-http';

/** An adapter entry of the config, by name: `telegram`, `@botwire/adapter-web`, `./my-adapter`. */
interface NamedAdapter {
  name: string;
  packageName: string;
  options: Record<string, unknown>;
}

function named(entry: AdapterEntry): NamedAdapter | { object: string } {
  if (typeof entry === 'object' && 'start' in entry) return { object: entry.name };
  const name = typeof entry === 'string' ? entry : entry.use;
  const options = typeof entry === 'string' ? {} : (entry.options ?? {});
  const packageName =
    name.startsWith('@') || name.startsWith('.') || name.includes('/')
      ? name
      : `@botwire/adapter-${name}`;
  return { name: name.replace(/^@botwire\/adapter-/, ''), packageName, options };
}

const option = (options: Record<string, unknown>, key: string) =>
  typeof options[key] === 'string' && options[key] !== '' ? (options[key] as string) : undefined;

/** Telegram: the token answers `getMe` at the Bot API root, within the time limit. */
export async function checkTelegram(
  options: Record<string, unknown>,
  context: CheckContext,
): Promise<CheckResult> {
  const token = option(options, 'token') ?? (context.env.TELEGRAM_BOT_TOKEN?.trim() || undefined);
  const apiRoot = (
    option(options, 'apiRoot') ??
    (context.env.TELEGRAM_API_ROOT?.trim() || 'https://api.telegram.org')
  ).replace(/\/+$/, '');
  const server = originOf(apiRoot);
  if (!token) {
    return {
      name: 'telegram',
      status: 'fail',
      message: 'the Telegram adapter needs a bot token, and TELEGRAM_BOT_TOKEN is not set',
      fix: 'set TELEGRAM_BOT_TOKEN to the token @BotFather gave you (in .env beside the config)',
    };
  }
  const outcome = await probeHttp(`${apiRoot}/bot${token}/getMe`, {
    timeoutMs: context.timeoutMs,
    secrets: [token],
  });
  if (outcome.kind === 'timeout') {
    return {
      name: 'telegram',
      status: 'fail',
      message: `${server} did not answer getMe within ${context.timeoutMs} ms`,
      fix: 'check this machine reaches the Bot API (a proxy or firewall?), or set TELEGRAM_API_ROOT',
    };
  }
  if (outcome.kind === 'unreachable') {
    return {
      name: 'telegram',
      status: 'fail',
      message: `cannot reach ${server} (${outcome.reason})`,
      fix: 'check the network and DNS, or set TELEGRAM_API_ROOT to a reachable Bot API server',
    };
  }
  const body = outcome.body as {
    ok?: boolean;
    result?: { username?: string };
    description?: string;
  };
  if (outcome.status === 200 && body.ok) {
    return {
      name: 'telegram',
      status: 'ok',
      message: `the token is @${body.result?.username ?? '?'}'s (getMe on ${server})`,
    };
  }
  const refused = outcome.status === 401 || outcome.status === 404;
  return {
    name: 'telegram',
    status: 'fail',
    message: `${server} refused the token: ${outcome.status} ${body.description ?? ''}`.trim(),
    fix: refused
      ? 'copy the token again from @BotFather (/mybots → API Token) into TELEGRAM_BOT_TOKEN'
      : 'try again later; if it persists, check TELEGRAM_API_ROOT',
  };
}

/** Discord: a token is set (it is verified when the bot connects to the gateway). */
export function checkDiscord(options: Record<string, unknown>, context: CheckContext): CheckResult {
  const token = option(options, 'token') ?? (context.env.DISCORD_BOT_TOKEN?.trim() || undefined);
  return token
    ? { name: 'discord', status: 'ok', message: 'a bot token is set (DISCORD_BOT_TOKEN)' }
    : {
        name: 'discord',
        status: 'fail',
        message: 'the Discord adapter needs a bot token, and DISCORD_BOT_TOKEN is not set',
        fix: 'set DISCORD_BOT_TOKEN (Developer Portal → Applications → Bot → Reset Token)',
      };
}

/**
 * Each adapter of the config: its package is installed beside the bot, and what it needs to
 * connect is there (Telegram: a token that `getMe` accepts; Discord: a token).
 */
export async function checkAdapters(
  entries: readonly AdapterEntry[],
  context: CheckContext,
): Promise<CheckResult[]> {
  return Promise.all(
    entries.map(async (entry): Promise<CheckResult> => {
      const adapter = named(entry);
      if ('object' in adapter) {
        return {
          name: adapter.object,
          status: 'ok',
          message: 'given as an adapter object in the config; its options are not checked',
        };
      }
      if (/^[./]/.test(adapter.packageName)) {
        return { name: adapter.name, status: 'ok', message: 'a local adapter module; not checked' };
      }
      try {
        createRequire(join(context.rootDir, 'botwire.config.js')).resolve(adapter.packageName);
      } catch {
        return {
          name: adapter.name,
          status: 'fail',
          message: `the adapter package ${adapter.packageName} is not installed beside the bot`,
          fix: `install it in ${context.rootDir}: npm install ${adapter.packageName} (or pnpm add ${adapter.packageName})`,
        };
      }
      if (adapter.name === 'telegram') return checkTelegram(adapter.options, context);
      if (adapter.name === 'discord') return checkDiscord(adapter.options, context);
      return { name: adapter.name, status: 'ok', message: `${adapter.packageName} is installed` };
    }),
  );
}
