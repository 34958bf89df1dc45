import { Command } from 'commander';
import type { CallToolCommandOptions } from './tools-call';

/** `botwire tools call <tool> --args '<json>'`: runs one tool as the bot's owner; its code loads when it runs. */
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
    .action(async (tool: string, options: CallToolCommandOptions) => {
      const { callToolCommand } = await import('./tools-call');
      await callToolCommand(tool, options);
    });
  return tools;
}
