import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Artifact, BotwireError, isBotwireError, normalizeLocale } from '@botwire/core';
import { describeError, print, printError, toJson } from '../output';
import { botFromConfig } from './run-bot';

/** What `botwire tools call` takes besides the tool's name. */
export interface CallToolCommandOptions {
  args: string;
  config?: string;
  save?: string;
  locale: string;
}

/** `botwire tools call <tool>`: runs one tool as the bot's owner and prints its result. */
export async function callToolCommand(
  tool: string,
  options: CallToolCommandOptions,
): Promise<void> {
  let args: unknown;
  try {
    args = JSON.parse(options.args);
  } catch (error) {
    throw new BotwireError('BOTWIRE_TOOL_ARGUMENTS_INVALID', {
      message: `--args is not valid JSON: ${(error as Error).message}`,
      hint: `Quote the JSON for your shell: --args '{"url":"https://example.com"}'`,
    });
  }
  const bot = await botFromConfig(options.config);
  try {
    await bot.init();
    const { user, chat } = await bot.operator();
    const result = await bot.callTool(tool, args, {
      user,
      chat,
      locale: normalizeLocale(options.locale),
    });
    if (options.save) saveArtifacts(result, resolve(options.save));
    print(toJson(result ?? null));
  } catch (error) {
    // Errors can carry what a tool saw (URLs, tokens): print them through the bot's redactor.
    const cause =
      isBotwireError(error) && error.code === 'BOTWIRE_TOOL_FAILED' && error.cause instanceof Error
        ? `\ncause: ${error.cause.message}`
        : '';
    printError(bot.redactor.redactText(`${describeError(error)}${cause}`));
    process.exitCode = 1;
  } finally {
    await bot.stop();
  }
}

function saveArtifacts(result: unknown, directory: string): void {
  const artifacts = (result as { artifacts?: Artifact[] } | null)?.artifacts;
  if (!Array.isArray(artifacts)) return;
  mkdirSync(directory, { recursive: true });
  for (const artifact of artifacts) {
    const path = join(directory, artifact.name.replace(/[/\\]/g, '_'));
    writeFileSync(path, artifact.data);
    printError(`saved ${path}`);
  }
}
