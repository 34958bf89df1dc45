export {
  type AnswerQuestionOptions,
  type AnswerReason,
  answerQuestion,
  defaultAnswerThreshold,
  type FaqAnswer,
  type FaqCitation,
} from './answer';
export {
  type BuildFaqIndexOptions,
  buildFaqIndex,
  embeddingModelName,
  type FaqIndex,
  type FaqIndexDocument,
  faqContentHash,
  faqIndexFromJson,
  faqIndexToJson,
  faqIndexVersion,
  isFaqIndexCurrent,
} from './faq-index';
export {
  type FaqHit,
  type FaqSearchFeatures,
  type SearchFaqIndexOptions,
  searchFaqIndex,
} from './faq-search';
export {
  type KnowledgeEntry,
  languageFromFileName,
  loadKnowledgeBase,
  type ParseKnowledgeBaseOptions,
  parseKnowledgeBase,
} from './knowledge-base';
export { detectQuestionIntent, type QuestionIntent } from './question-intent';
export { loadSynonyms, parseSynonyms, type SynonymGroup } from './synonyms';
export { detectLanguage } from './text-analysis';
