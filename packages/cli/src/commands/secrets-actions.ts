import { allSkills, type Bot, BotwireError, type SecretScope } from '@botwire/core';
import { describeError, print, printError } from '../output';
import { botFromConfig } from './run-bot';

/** The options `botwire secrets set`, `list` and `rm` share. */
export interface SecretsCommandOptions {
  config?: string;
  skill?: string;
  user?: string;
}

/** Opens the bot, runs `action`, prints an error (through the bot's redactor) with exit 1, stops. */
async function withBot(configPath: string | undefined, action: (bot: Bot) => Promise<void>) {
  const bot = await botFromConfig(configPath);
  try {
    await bot.init();
    await action(bot);
  } catch (error) {
    printError(bot.redactor.redactText(describeError(error)));
    process.exitCode = 1;
  } finally {
    await bot.stop();
  }
}

function usage(message: string): BotwireError {
  return new BotwireError('BOTWIRE_INVALID_ARGUMENT', { message });
}

/** The scope `--skill` and `--user` name: a user's secret of a skill, or a bot-wide one. */
function scopeOf(options: SecretsCommandOptions): SecretScope {
  if (options.user !== undefined && options.skill === undefined)
    throw usage("--user needs --skill: a user's secret belongs to one skill.");
  return {
    skill: options.skill ?? allSkills,
    ...(options.user !== undefined ? { user: options.user } : {}),
  };
}

function describeScope(scope: SecretScope): string {
  const skill = scope.skill === allSkills ? 'every skill' : `skill ${scope.skill}`;
  return scope.user === undefined ? `${skill} (bot-wide)` : `${skill}, user ${scope.user}`;
}

/** `botwire secrets set <name> [value]`: stores a secret; the value comes from stdin when not given. */
export async function setSecret(
  name: string,
  given: string | undefined,
  options: SecretsCommandOptions,
): Promise<void> {
  await withBot(options.config, async (bot) => {
    const scope = scopeOf(options);
    const skills = bot.skills.skills.map((skill) => skill.manifest.name);
    if (scope.skill !== allSkills && !skills.includes(scope.skill)) {
      throw usage(
        `The bot has no skill "${scope.skill}" (it has ${skills.join(', ') || 'none'}). Leave --skill out for a secret of every skill.`,
      );
    }
    if (scope.user !== undefined && !(await bot.storage.users.get(scope.user)))
      throw usage(`The bot has no user "${scope.user}". User ids look like usr_...`);
    const value = given ?? (await readValue(name));
    if (value === '')
      throw usage(`No value for ${name}: give it as an argument or on standard input.`);
    // Hidden from the bot's output before anything else can print it.
    bot.redactor.add(value);
    const info = await bot.secrets.set(scope, name, value);
    if (bot.storage.processLocal)
      printError(
        `warning: the bot's storage is ${bot.storage.name}: the secret is gone when this command ends.`,
      );
    print(`saved ${name} (key ${info.kid})`);
  });
}

/** `botwire secrets list`: names, scopes, key ids and times; never values. */
export async function listSecrets(options: SecretsCommandOptions & { json?: boolean }) {
  await withBot(options.config, async (bot) => {
    const found = (await bot.secrets.list()).filter(
      (info) =>
        (options.skill === undefined || info.skill === options.skill) &&
        (options.user === undefined || info.user === options.user),
    );
    if (options.json) {
      print(JSON.stringify(found, null, 2));
      return;
    }
    if (found.length === 0) {
      print('no secrets');
      return;
    }
    const rows = [
      ['NAME', 'SKILL', 'USER', 'KEY', 'UPDATED'],
      ...found.map((info) => [
        info.name,
        info.skill,
        info.user ?? '-',
        info.kid,
        info.updatedAt.toISOString(),
      ]),
    ];
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
    for (const row of rows)
      print(
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd(),
      );
    print('SKILL * is every skill; USER - is bot-wide.');
  });
}

/** `botwire secrets rm <name>`: deletes a secret; exit 1 when there is none. */
export async function removeSecret(name: string, options: SecretsCommandOptions): Promise<void> {
  await withBot(options.config, async (bot) => {
    const scope = scopeOf(options);
    if (!(await bot.secrets.delete(scope, name))) {
      throw new BotwireError('BOTWIRE_NOT_FOUND', {
        message: `There is no secret "${name}" of ${describeScope(scope)}.`,
        hint: 'botwire secrets list shows the secrets with their skill and user.',
      });
    }
    print(`removed ${name} of ${describeScope(scope)}`);
  });
}

/** `botwire secrets rotate`: every secret under an older key is encrypted again under the active one. */
export async function rotateSecrets(options: { config?: string }): Promise<void> {
  await withBot(options.config, async (bot) => {
    const { total, reencrypted } = await bot.secrets.rotate();
    const kid = bot.secrets.keyRing.activeKeyId;
    print(
      `re-encrypted ${reencrypted} of ${total} secret(s) under key ${kid}; none remain under older keys.`,
    );
  });
}

/** The value from standard input: typed without echo on a terminal, else all of it (one final newline dropped). */
async function readValue(name: string): Promise<string> {
  if (process.stdin.isTTY) return readHidden(`value of ${name} (not shown): `);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** One line typed on the terminal without echo; Ctrl+C cancels. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  let value = '';
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (text: string) => {
      for (const character of text) {
        if (character === '\r' || character === '\n' || character === '\u0004') return finish();
        if (character === '\u0003') return finish(usage('Cancelled: nothing was saved.'));
        if (character === '\u007f' || character === '\b')
          value = Array.from(value).slice(0, -1).join('');
        else value += character;
      }
    };
    stdin.on('data', onData);
  });
}
