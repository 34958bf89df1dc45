import { isBotwireError } from '../errors/botwire-error';
import type { Middleware } from '../middleware/composer';
import type { BotContext } from './bot-context';
import { toolResultToReply } from './tool-reply';

/**
 * Runs the tool behind a skill's slash command: `/search cats` → `web_search({ query: "cats" })`
 * when the command declares `argument: "query"`. Makes no model call. A failure becomes a
 * reply in the user's language; the details go to the log.
 */
export function skillCommands(): Middleware<BotContext> {
  return async (context, next) => {
    const call = context.command;
    const entry = call ? context.bot.skills.getCommand(call.name) : undefined;
    if (!call || !entry) return next();
    const { command, tool } = entry;
    let args: Record<string, unknown> = {};
    if (command.argument) {
      if (call.argument) args = { [command.argument]: call.argument };
    } else if (call.argument.startsWith('{')) {
      try {
        args = JSON.parse(call.argument) as Record<string, unknown>;
      } catch {
        args = {};
      }
    }
    try {
      const result = await context.callTool(tool.manifest.name, args);
      await context.reply(toolResultToReply(result));
    } catch (error) {
      if (!isBotwireError(error)) throw error;
      context.log.warn('tool-call-failed', { tool: tool.manifest.name, error: error.toJSON() });
      const message = error.problems.length
        ? error.problems.map((problem) => problem.message).join('; ')
        : error.message;
      switch (error.code) {
        case 'BOTWIRE_TOOL_ARGUMENTS_INVALID': {
          const usage = command.argument ? `<${command.argument}>` : '';
          await context.reply(
            `${context.t('error.arguments_invalid', { command: call.name, message })}\n${context.t('command.usage', { command: call.name, usage })}`,
          );
          return;
        }
        case 'BOTWIRE_TOOL_PERMISSION_DENIED':
          await context.reply(context.t('error.permission_denied', { message: error.message }));
          return;
        case 'BOTWIRE_TOOL_TIMEOUT':
          await context.reply(context.t('error.timeout'));
          return;
        default: {
          const cause = error.cause instanceof Error ? error.cause.message : error.message;
          await context.reply(
            context.t('error.tool_failed', { tool: tool.manifest.name, message: cause }),
          );
        }
      }
    }
  };
}
