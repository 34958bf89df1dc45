import type { ChatMessage } from '../ports/chat-model';
import type { MessageRecord } from '../ports/storage';

/** Roughly how many tokens a text costs (about four characters a token). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * The newest messages of a chat that fit in `maxTokens`, at most `maxMessages` of them, oldest
 * first, as model messages. The current message is left out (the planner adds it itself).
 */
export function historyWindow(
  records: readonly MessageRecord[],
  maxTokens: number,
  currentMessageId?: string,
  maxMessages = Number.POSITIVE_INFINITY,
): ChatMessage[] {
  const window: ChatMessage[] = [];
  let used = 0;
  for (let index = records.length - 1; index >= 0 && window.length < maxMessages; index -= 1) {
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
    window.push({
      role: record.direction === 'in' ? 'user' : 'assistant',
      content: isUntrustedRecord(record)
        ? quoteData('earlier_reply', { trust: 'untrusted' }, record.text)
        : record.text,
    });
  }
  return window.reverse();
}

/** True when a stored message carried outside content (marked when it was sent). */
export function isUntrustedRecord(record: MessageRecord): boolean {
  return record.meta?.untrusted === true;
}

/**
 * True when an argument of a tool call comes from untrusted text: a string argument of six or
 * more characters that appears in it (case-insensitive). Used for content carried over from
 * earlier turns, where no `{{s1...}}` reference shows where a value came from.
 */
export function argumentsFromUntrusted(args: unknown, untrustedTexts: readonly string[]): boolean {
  if (untrustedTexts.length === 0) return false;
  const haystack = untrustedTexts.join('\n').toLowerCase();
  const visit = (value: unknown): boolean => {
    if (typeof value === 'string') {
      const needle = value.trim().toLowerCase();
      return needle.length >= 6 && haystack.includes(needle);
    }
    if (Array.isArray(value)) return value.some(visit);
    if (value && typeof value === 'object') return Object.values(value).some(visit);
    return false;
  };
  return visit(args);
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
