import type { BotContext } from '@botwire/core';
import type { DeskParts } from './bank-desk';
import { deskLocale } from './directory';

/** What `faq_answer` returns. */
interface FaqReply {
  answer: string;
  citations: Array<{ id: string; title: string }>;
  handoff: boolean;
}

/**
 * Answers a customer's question from the knowledge base with its source. When the base has no
 * answer, or the question is about their own account, or they ask for a person, the answer
 * offers a moderator and a ticket is opened (or they are told how to get one).
 */
export async function answerQuestion(parts: DeskParts, context: BotContext): Promise<void> {
  const question = context.text.trim();
  const reply = (await context.callTool('faq_answer', { question })) as FaqReply;
  if (!reply.handoff) {
    const sources = reply.citations.map((citation) => citation.title).join('; ');
    const label = deskLocale(context.locale) === 'ru' ? 'Источник' : 'Source';
    await context.reply(sources ? `${reply.answer}\n\n${label}: ${sources}` : reply.answer);
    return;
  }
  await context.reply(reply.answer);
  await parts.tickets.open(context, { origin: 'faq', question });
}
