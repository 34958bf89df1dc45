import { type BotContext, type ConversationData, defineConversation } from '@botwire/core';
import { readTimezone } from './coach-tools';

const texts = {
  en: {
    timezone:
      'Let’s set you up. Which city do you live in (or your time zone, such as Asia/Tashkent)? Your days, streaks and reminders follow it.',
    bad_timezone:
      'I do not know that place: write a city (Tashkent, Moscow, Berlin) or a zone such as Europe/Berlin.',
    goal: 'What is your first goal? For example: read 20 pages a day. Or “skip”.',
    checkin: 'When should I remind you to check in, every day? A time such as 21:00, or “no”.',
    bad_time: 'A time such as 21:00 (24-hour), or “no”.',
    ready:
      'All set! /goals shows your goals, /done records progress, /progress your level and streak, /week the week so far.',
  },
  ru: {
    timezone:
      'Давайте настроимся. В каком городе вы живёте (или ваш часовой пояс, например Asia/Tashkent)? По нему считаются дни, серии и напоминания.',
    bad_timezone:
      'Не знаю такого места: напишите город (Ташкент, Москва, Берлин) или пояс, например Europe/Berlin.',
    goal: 'Какая у вас первая цель? Например: читать 20 страниц в день. Или «пропустить».',
    checkin: 'Во сколько напоминать об ежедневной отметке? Время, например 21:00, или «нет».',
    bad_time: 'Время, например 21:00 (24-часовой формат), или «нет».',
    ready:
      'Готово! /goals — ваши цели, /done — отметить прогресс, /progress — уровень и серия, /week — итоги недели.',
  },
};

const say = (context: BotContext, key: keyof (typeof texts)['en']) =>
  (context.locale.startsWith('ru') ? texts.ru : texts.en)[key];

const skipWords = /^(skip|no|none|нет|пропустить|пропуск|не надо|-)$/i;

interface OnboardingData extends ConversationData {
  timezone?: string;
  goal?: string;
  checkin?: string;
}

/**
 * `/setup`: the coach's onboarding as a conversation: the user's city or time zone, their first
 * goal, and a daily check-in time; then their time zone is saved, the goal set, and the daily
 * reminder and Sunday summary scheduled in their time zone.
 */
export const onboarding = defineConversation<OnboardingData>({
  name: 'goals_onboarding',
  steps: [
    {
      id: 'timezone',
      ask: (context) => say(context, 'timezone'),
      answer: ({ text }, _data, context) => {
        const zone = readTimezone(text);
        return zone ? { value: zone } : { error: say(context, 'bad_timezone') };
      },
    },
    {
      id: 'goal',
      ask: (context) => say(context, 'goal'),
      answer: ({ text }) => ({
        value: skipWords.test(text.trim()) ? '' : text.trim().slice(0, 120),
      }),
    },
    {
      id: 'checkin',
      ask: (context) => say(context, 'checkin'),
      answer: ({ text }, _data, context) => {
        const wanted = text.trim();
        if (skipWords.test(wanted)) return { value: '' };
        const match = /^(\d{1,2})[:.](\d{2})$/.exec(wanted);
        if (!match || Number(match[1]) > 23 || Number(match[2]) > 59)
          return { error: say(context, 'bad_time') };
        return { value: `${match[1]!.padStart(2, '0')}:${match[2]}` };
      },
    },
  ],
  done: async (context, data) => {
    const replies: string[] = [];
    const setup = (await context.callTool('goal_coach_setup', {
      timezone: data.timezone,
      ...(data.checkin ? { checkinTime: data.checkin } : {}),
    })) as { text?: string };
    if (setup.text) replies.push(setup.text);
    if (data.goal) {
      const created = (await context.callTool('goal_create', { title: data.goal })) as {
        text?: string;
      };
      if (created.text) replies.push(created.text);
    }
    replies.push(say(context, 'ready'));
    await context.reply(replies.join('\n'));
  },
});
