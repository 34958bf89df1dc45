import type { ToolContext, ToolReply } from '@botwire/core';
import type { GenerationRecord } from '../generation/generate-image';
import { findStyle } from '../generation/styles';
import { avatarsIn } from './avatar-records';

const statusIcon = { training: '⏳', ready: '✅', failed: '❌' } as const;

function day(at: number, context: ToolContext): string {
  return new Intl.DateTimeFormat(context.locale, {
    timeZone: context.timezone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(at));
}

/**
 * `/avatars`: the user's avatars (the gallery), numbered as `/generate` takes them, with each
 * one's kind, status, photo count and date, and which one `/generate` uses by default.
 */
export async function avatarList(
  _input: Record<string, never>,
  context: ToolContext,
): Promise<ToolReply> {
  if (!context.user) throw new Error(context.t('credits.no_user'));
  const avatars = await avatarsIn(context.userStorage);
  if (avatars.length === 0) return { text: context.t('avatars.none'), data: { avatars: [] } };
  let current = -1;
  avatars.forEach((avatar, index) => {
    if (avatar.status === 'ready' && avatar.model) current = index;
  });
  const lines = avatars.map((avatar, index) => {
    const status = context.t(
      avatar.status === 'training' && avatar.progress
        ? `avatars.status_${avatar.progress}`
        : `avatars.status_${avatar.status}`,
      { error: avatar.error ?? '' },
    );
    const line = context.t('avatars.line', {
      icon: statusIcon[avatar.status],
      number: index + 1,
      kind: context.t(`avatars.kind_${avatar.kind}`),
      status,
      photos: avatar.photos,
      date: day(avatar.createdAt, context),
    });
    return index === current ? `${line} ${context.t('avatars.default')}` : line;
  });
  return {
    text: [context.t('avatars.title'), ...lines, '', context.t('avatars.hint')].join('\n'),
    data: {
      avatars: avatars.map((avatar, index) => ({
        number: index + 1,
        kind: avatar.kind,
        status: avatar.status,
        photos: avatar.photos,
        createdAt: new Date(avatar.createdAt).toISOString(),
        ...(avatar.finishedAt ? { finishedAt: new Date(avatar.finishedAt).toISOString() } : {}),
        ...(avatar.error ? { error: avatar.error } : {}),
      })),
    },
  };
}

/** `/history`: the user's latest generations, newest first. */
export async function generationHistory(
  input: { limit?: number },
  context: ToolContext,
): Promise<ToolReply> {
  if (!context.user) throw new Error(context.t('credits.no_user'));
  const limit = Math.min(Math.max(Number(input.limit ?? 10), 1), 50);
  const entries = await context.userStorage.list<GenerationRecord>({
    prefix: 'history:',
    limit: 10_000,
  });
  const latest = entries
    .map((entry) => entry.value)
    .slice(-limit)
    .reverse();
  if (latest.length === 0) return { text: context.t('history.none'), data: { generations: [] } };
  const locale = context.locale.startsWith('ru') ? 'ru' : 'en';
  const lines = latest.map((record) =>
    context.t('history.line', {
      date: day(record.at, context),
      style: findStyle(record.style)?.names[locale] ?? record.style,
      avatar: record.avatar ? context.t('history.with_avatar', { number: record.avatar }) : '',
      prompt: record.prompt.length > 80 ? `${record.prompt.slice(0, 79)}…` : record.prompt,
      credits: record.credits,
    }),
  );
  return {
    text: [context.t('history.title', { count: latest.length }), ...lines].join('\n'),
    data: {
      generations: latest.map((record) => ({
        at: new Date(record.at).toISOString(),
        prompt: record.prompt,
        style: record.style,
        count: record.count,
        credits: record.credits,
        ...(record.avatar ? { avatar: record.avatar } : {}),
      })),
    },
  };
}
