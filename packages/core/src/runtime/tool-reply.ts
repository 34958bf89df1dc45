import type { OutgoingMessage } from '../messages/outgoing-message';
import type { ToolReply } from '../skills/define-skill';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Turns what a tool returned into a reply: a string is the text; an object with `text`,
 * `artifacts` or `buttons` is a reply; any other value is shown as JSON.
 */
export function toolResultToReply(result: unknown): OutgoingMessage {
  if (typeof result === 'string') return { text: result };
  if (
    isObject(result) &&
    (typeof result.text === 'string' ||
      Array.isArray(result.artifacts) ||
      Array.isArray(result.buttons) ||
      isObject(result.invoice) ||
      isObject(result.voice))
  ) {
    const reply = result as ToolReply;
    const text =
      reply.text ??
      (reply.artifacts?.length ? reply.artifacts.map((artifact) => artifact.name).join(', ') : '');
    return {
      text,
      ...(reply.buttons ? { buttons: reply.buttons } : {}),
      ...(reply.artifacts ? { artifacts: reply.artifacts } : {}),
      ...(reply.invoice ? { invoice: reply.invoice } : {}),
      ...(reply.voice ? { voice: reply.voice } : {}),
    };
  }
  if (result === undefined || result === null) return { text: 'Done.' };
  return { text: `\`\`\`json\n${JSON.stringify(result, null, 2)}\n\`\`\``, format: 'markdown' };
}
