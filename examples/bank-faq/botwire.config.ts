import { type BotContext, defineConfig } from '@botwire/core';

interface FaqReply {
  answer: string;
  citations: Array<{ id: string; title: string }>;
  handoff: boolean;
}

/**
 * Without a model, every question that is not a command goes to the knowledge base: the answer
 * is the best entry, with its source; a question the base cannot answer is handed off.
 */
async function answerFromKnowledgeBase(context: BotContext, next: () => Promise<void>) {
  const text = context.message.kind === 'message' ? context.text.trim() : '';
  if (!text || context.command || context.services.chatModel()) return next();
  const reply = (await context.callTool('faq_answer', { question: text })) as FaqReply;
  const sources = reply.citations.map((citation) => citation.title).join('; ');
  const label = context.locale === 'ru' ? 'Источник' : 'Source';
  await context.reply(
    reply.handoff || !sources ? reply.answer : `${reply.answer}\n\n${label}: ${sources}`,
  );
}

/**
 * The bank's FAQ bot (Severny Bank, a made-up bank): open to everyone, in the terminal and the
 * web chat at http://127.0.0.1:3000, and on Telegram whenever TELEGRAM_BOT_TOKEN is set.
 * Replace knowledge/*.md with your bank's knowledge base (see the README).
 */
export default defineConfig({
  name: 'Severny Bank',
  locale: 'ru',
  access: 'open',
  adapters: ['console', 'web', ...(process.env.TELEGRAM_BOT_TOKEN ? ['telegram'] : [])],
  skills: [
    {
      use: '@botwire/skill-banking-faq',
      permissions: ['storage'],
      config: {
        knowledge: ['knowledge/knowledge.ru.md', 'knowledge/knowledge.en.md'],
        synonyms: 'knowledge/synonyms.txt',
      },
    },
  ],
  middleware: [answerFromKnowledgeBase],
});
