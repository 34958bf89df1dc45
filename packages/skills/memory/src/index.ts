import { defineSkill } from '@botwire/core';
import { memoryTools } from './memory-tools';
import { recallMemory } from './recall';
import type { SkillInputs } from './skill-types';

export {
  defaultMemoryPolicy,
  effectiveImportance,
  type FactCategory,
  type FactSource,
  isExpired,
  type MemoryFact,
  type MemoryPolicy,
  mergeFacts,
  normalizeFact,
} from './memory-fact';
export {
  MemoryStore,
  type MemoryStoreParts,
  type NewFact,
  type RecalledFact,
  type SaveResult,
  sourceOf,
} from './memory-store';
export { describeFact, memoryStoreFor } from './memory-tools';
export { extractFacts, parseFacts, recallMemory } from './recall';
export type { SkillInputs } from './skill-types';
export { normalizeTimezone, timeIn } from './timezone';

/**
 * The `memory` skill: long-term memory of facts about each user (tools memory_save,
 * memory_recall, memory_list, memory_forget, memory_pin, memory_lock, memory_approve,
 * memory_timezone; commands /memory, /forget, /timezone; "remember that …", "запомни, что …").
 * Recalled facts go into the model's context with each message. Add it to a bot with
 * `skills: [{ use: '@botwire/skill-memory', permissions: ['storage'] }]`.
 */
const skill = defineSkill<SkillInputs>({
  strings: {
    en: {
      saved: 'Remembered: {content}',
      merged: 'I already knew that; updated: {content}',
      unchanged: 'I already remember that (it is locked): {content}',
      saved_for_review:
        'This came from outside content, so I keep it aside until you approve it: {content}. See /memory review.',
      nothing_found: 'I remember nothing about that.',
      empty: 'I remember nothing about you yet. Tell me "remember that …".',
      list_header: 'What I remember about you ({count}):',
      waiting_footer: '{count} more wait for your approval: /memory review',
      review_empty: 'No facts wait for your approval.',
      review_header: 'Facts from outside content, waiting for your approval ({count}):',
      review_footer: 'Approve one with /memory_approve <id>, or drop it with /forget <id>.',
      approve_button: 'Approve',
      reject_button: 'Drop',
      mark_pinned: 'pinned',
      mark_locked: 'locked',
      mark_review: 'waits for review',
      not_found: 'I have no fact {id}. /memory lists them with their ids.',
      forget_not_found: 'I remember nothing like "{target}". /memory lists what I remember.',
      forgotten: 'Forgotten: {content}',
      locked_refused: 'That fact is locked: {content}. Unlock it first: /memory_unlock {id}',
      pinned: 'Pinned: {content}',
      unpinned: 'Unpinned: {content}',
      locked: 'Locked: {content}',
      unlocked: 'Unlocked: {content}',
      approved: 'Approved; I will use it from now on: {content}',
      already_active: 'That fact is already in use: {content}',
      timezone_set: 'Your time zone is now {timezone} (it is {time} there).',
      timezone_is: 'Your time zone is {timezone}; it is {time} there now.',
      timezone_unknown:
        'I do not know your time zone yet. Tell me "my timezone is Europe/Berlin" or "my timezone is UTC+3".',
      timezone_invalid:
        '"{timezone}" is not a time zone I know. Write an IANA name such as Europe/Berlin, or an offset such as UTC+3.',
    },
    ru: {
      saved: 'Запомнил: {content}',
      merged: 'Я это уже знал; обновил: {content}',
      unchanged: 'Я это уже помню (факт защищён): {content}',
      saved_for_review:
        'Это пришло из внешнего источника, поэтому я отложил факт до вашего одобрения: {content}. Смотрите /memory review.',
      nothing_found: 'Об этом я ничего не помню.',
      empty: 'Я пока ничего о вас не помню. Скажите «запомни, что …».',
      list_header: 'Что я помню о вас ({count}):',
      waiting_footer: 'Ещё {count} ждут вашего одобрения: /memory review',
      review_empty: 'Нет фактов, ждущих одобрения.',
      review_header: 'Факты из внешних источников ждут вашего одобрения ({count}):',
      review_footer: 'Одобрить: /memory_approve <id>, отбросить: /forget <id>.',
      approve_button: 'Одобрить',
      reject_button: 'Отбросить',
      mark_pinned: 'закреплён',
      mark_locked: 'защищён',
      mark_review: 'ждёт проверки',
      not_found: 'Факта {id} нет. /memory покажет факты с их id.',
      forget_not_found: 'Я не помню ничего похожего на «{target}». /memory покажет, что я помню.',
      forgotten: 'Забыл: {content}',
      locked_refused: 'Этот факт защищён: {content}. Сначала снимите защиту: /memory_unlock {id}',
      pinned: 'Закрепил: {content}',
      unpinned: 'Открепил: {content}',
      locked: 'Защитил: {content}',
      unlocked: 'Снял защиту: {content}',
      approved: 'Одобрено, теперь я это учитываю: {content}',
      already_active: 'Этот факт уже используется: {content}',
      timezone_set: 'Ваш часовой пояс: {timezone} (там сейчас {time}).',
      timezone_is: 'Ваш часовой пояс: {timezone}, там сейчас {time}.',
      timezone_unknown:
        'Я пока не знаю ваш часовой пояс. Напишите «моя зона UTC+3» или «мой часовой пояс Europe/Moscow».',
      timezone_invalid:
        '«{timezone}» — не знакомый мне часовой пояс. Напишите, например, UTC+3 или Europe/Moscow.',
    },
  },
  tools: memoryTools,
  recall: recallMemory,
});

export default skill;
