import { defineSkill } from '@botwire/core';
import { reminderTools } from './reminder-tools';
import { parseSchedule } from './schedule/parse-schedule';
import type { SkillInputs } from './skill-types';

export { parseSchedule, type ScheduleParse } from './schedule/parse-schedule';
export type { SkillInputs } from './skill-types';

/**
 * The `cron` skill: `schedule_parse` reads when something should happen from a Russian or
 * English phrase, in the user's time zone (see docs/guides/skills/cron.md for the conventions);
 * `reminder_create`, `reminder_list` and `reminder_cancel` (/remind, /reminders, "напомни …")
 * set reminders the bot's job queue sends to the chat; `task_schedule` (/schedule, "каждый день
 * в 9:00 курс валют и погода") runs a task then as if the user had asked, and sends the result. Add it to a bot with
 * `skills: [{ use: '@botwire/skill-cron', permissions: ['schedule'] }]`.
 */
const skill = defineSkill<SkillInputs>({
  strings: {
    en: {
      created_once: 'I will remind you: {task} — {next}.',
      created_recurring: 'I will remind you: {task} — first {next}, then by the same rule.',
      none: 'You have no reminders. Say "remind me tomorrow at 9 to call mum".',
      list_header: 'Your reminders ({count}):',
      repeats: '(repeats)',
      cancel_button: 'Cancel',
      cancelled: 'Reminder cancelled.',
      not_found: 'You have no reminder {id}. /reminders lists them.',
      task_once: 'I will do it {next}: {task}. The result comes to this chat.',
      task_recurring:
        'I will do it: {task} — first {next}, then by the same rule. The results come to this chat.',
      task_missing:
        'What should I do then? Say the task with the time: "every day at 9 the weather in London".',
    },
    ru: {
      created_once: 'Напомню: {task} — {next}.',
      created_recurring: 'Буду напоминать: {task} — впервые {next}, дальше по тому же правилу.',
      none: 'Напоминаний нет. Скажите «напомни завтра в 9 позвонить маме».',
      list_header: 'Ваши напоминания ({count}):',
      repeats: '(повторяется)',
      cancel_button: 'Отменить',
      cancelled: 'Напоминание отменено.',
      not_found: 'Напоминания {id} нет. /reminders покажет список.',
      task_once: 'Сделаю {next}: {task}. Результат пришлю в этот чат.',
      task_recurring:
        'Буду делать: {task} — впервые {next}, дальше по тому же правилу. Результаты пришлю в этот чат.',
      task_missing:
        'Что именно сделать? Скажите задачу вместе со временем: «каждый день в 9 погода в Москве».',
    },
  },
  tools: {
    ...reminderTools,
    schedule_parse: (input, context) =>
      parseSchedule({
        text: input.text,
        now: input.now ?? new Date().toISOString(),
        timezone: input.timezone ?? context.timezone,
      }),
  },
});

export default skill;
