import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Artifact, BotwireError, isBotwireError, normalizeLocale } from '@botwire/core';
import { Command } from 'commander';
import { describeError, print, printError, toJson } from '../output';
import { botFromConfig } from './run-bot';

/** `botwire tools call <tool> --args '<json>'`: runs one tool as the bot's owner and prints its result. */
export function toolsCommand(): Command {
  const tools = new Command('tools').description("run the bot's tools directly");
  tools
    .command('call')
    .description('run one tool and print its JSON result (exit 0) or its error (exit 1)')
    .argument('<tool>', "the tool's name, such as web_fetch")
    .option('-a, --args <json>', "the tool's arguments as a JSON object", '{}')
    .option(
      '-c, --config <file>',
      'the bot config (default: botwire.config.ts|js|json in this folder)',
    )
    .option('--save <dir>', 'save the files the tool returns into this folder')
    .option('--locale <locale>', 'the language the tool answers in (en, ru)', 'en')
    .action(
      async (
        tool: string,
        options: { args: string; config?: string; save?: string; locale: string },
      ) => {
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
            isBotwireError(error) &&
            error.code === 'BOTWIRE_TOOL_FAILED' &&
            error.cause instanceof Error
              ? `\ncause: ${error.cause.message}`
              : '';
          printError(bot.redactor.redactText(`${describeError(error)}${cause}`));
          process.exitCode = 1;
        } finally {
          await bot.stop();
        }
      },
    );
  return tools;
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
