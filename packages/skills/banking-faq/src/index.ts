import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineSkill, type ToolContext } from '@botwire/core';
import {
  answerQuestion,
  buildFaqIndex,
  type FaqIndex,
  faqContentHash,
  faqIndexFromJson,
  faqIndexToJson,
  type KnowledgeEntry,
  loadKnowledgeBase,
  loadSynonyms,
  type SynonymGroup,
} from './engine';
import { groundedAnswer } from './grounded-answer';
import type { SkillInputs } from './skill-types';

export * from './engine';

/** The sample bank's knowledge base and synonyms, shipped with the skill. */
const shipped = fileURLToPath(new URL('../knowledge/', import.meta.url));
const defaultKnowledge = [`${shipped}knowledge.ru.md`, `${shipped}knowledge.en.md`];
const defaultSynonyms = `${shipped}synonyms.txt`;

interface Options {
  knowledge?: string[];
  synonyms?: string;
}

interface Loaded {
  /** The files and their modification times: when they change, the knowledge base is read again. */
  stamp: string;
  entries: KnowledgeEntry[];
  synonyms: SynonymGroup[];
  hash: string;
}

let loaded: Loaded | undefined;
let built: { hash: string; index: Promise<FaqIndex> } | undefined;

const at = (context: ToolContext, path: string) =>
  isAbsolute(path) ? path : resolve(context.configDir, path);

/** The knowledge base and synonyms, read again when a file changed. */
async function knowledge(context: ToolContext): Promise<Loaded> {
  const options = context.config as Options;
  const files = options.knowledge?.length
    ? options.knowledge.map((file) => at(context, file))
    : defaultKnowledge;
  const synonymsFile = options.synonyms ? at(context, options.synonyms) : defaultSynonyms;
  const stamps = await Promise.all(
    [...files, synonymsFile].map(async (file) => `${file}@${(await stat(file)).mtimeMs}`),
  );
  const stamp = stamps.join('|');
  if (loaded?.stamp === stamp) return loaded;
  const entries = await loadKnowledgeBase(files);
  const synonyms = await loadSynonyms(synonymsFile);
  loaded = { stamp, entries, synonyms, hash: faqContentHash(entries, synonyms) };
  return loaded;
}

/**
 * The index of the knowledge base: built once and kept in the bot's storage (in the data
 * directory), so a new process reads it instead of building it; built again when the knowledge
 * base or the synonyms change.
 */
async function faqIndex(context: ToolContext): Promise<FaqIndex> {
  const current = await knowledge(context);
  if (built?.hash === current.hash) return built.index;
  const index = (async () => {
    const stored = await context.storage.get<{ hash: string; json: string }>('index');
    if (stored?.hash === current.hash) return faqIndexFromJson(stored.json);
    const fresh = await buildFaqIndex(current.entries, current.synonyms);
    await context.storage.set('index', { hash: current.hash, json: faqIndexToJson(fresh) });
    context.log.info('faq-index-built', { entries: current.entries.length });
    return fresh;
  })();
  built = { hash: current.hash, index };
  index.catch(() => {
    if (built?.index === index) built = undefined;
  });
  return index;
}

export default defineSkill<SkillInputs>({
  tools: {
    async faq_answer({ question }, context) {
      const index = await faqIndex(context);
      const result = await answerQuestion(index, question);
      return {
        answer: await groundedAnswer(context, index, question, result),
        citations: result.citations.map(({ id, title }) => ({ id, title })),
        handoff: result.handoff,
      };
    },
  },
});
