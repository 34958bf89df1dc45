import type { ChatMessage } from '../ports/chat-model';
import type { MessageRecord } from '../ports/storage';

/** Roughly how many tokens a text costs (about four characters a token). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * The newest messages of a chat that fit in `maxTokens`, oldest first, as model messages.
 * The current message is left out (the planner adds it itself).
 */
export function historyWindow(
  records: readonly MessageRecord[],
  maxTokens: number,
  currentMessageId?: string,
): ChatMessage[] {
  const window: ChatMessage[] = [];
  let used = 0;
  for (let index = records.length - 1; index >= 0; index -= 1) {
    const record = records[index]!;
    if (
      currentMessageId &&
      record.direction === 'in' &&
      record.platformMessageId === currentMessageId
    )
      continue;
    if (!record.text || record.text.startsWith('[button]')) continue;
    const cost = estimateTokens(record.text) + 4;
    if (used + cost > maxTokens) break;
    used += cost;
    window.push({ role: record.direction === 'in' ? 'user' : 'assistant', content: record.text });
  }
  return window.reverse();
}

/** Wraps untrusted text so that a model sees clearly where the data starts and ends. */
export function quoteData(
  label: string,
  attributes: Record<string, string>,
  content: string,
): string {
  const attributeText = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${value.replace(/"/g, "'")}"`)
    .join('');
  // A closing tag inside the data must not end the block early.
  const safe = content.replace(new RegExp(`</${label}`, 'gi'), `<\\/${label}`);
  return `<${label}${attributeText}>\n${safe}\n</${label}>`;
}
