import type { BotwireError } from '../errors/botwire-error';
import type { BotContext } from '../runtime/bot-context';

/** A failed tool call as a reply in the user's language (details go to the log, not the user). */
export function toolErrorReply(
  context: BotContext,
  error: BotwireError,
  tool: string,
  command?: { name: string; argument?: string },
): string {
  const message = error.problems.length
    ? error.problems.map((problem) => problem.message).join('; ')
    : error.message;
  switch (error.code) {
    case 'BOTWIRE_TOOL_ARGUMENTS_INVALID': {
      if (!command) return context.t('error.tool_failed', { tool, message });
      const usage = command.argument ? `<${command.argument}>` : '';
      return `${context.t('error.arguments_invalid', { command: command.name, message })}\n${context.t('command.usage', { command: command.name, usage })}`;
    }
    case 'BOTWIRE_TOOL_PERMISSION_DENIED':
      return context.t('error.permission_denied', { message: error.message });
    case 'BOTWIRE_TOOL_TIMEOUT':
      return context.t('error.timeout');
    // Written for the user by the tool, in their language: a question to answer, or what to do.
    case 'BOTWIRE_SCHEDULE_UNCLEAR':
    case 'BOTWIRE_JOB_NOT_FOUND':
      return error.message;
    default: {
      const cause = error.cause instanceof Error ? error.cause.message : error.message;
      return context.t('error.tool_failed', { tool, message: cause });
    }
  }
}
