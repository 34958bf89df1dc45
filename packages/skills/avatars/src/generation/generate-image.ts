import { randomUUID } from 'node:crypto';
import { isBotwireError, type ToolContext, type ToolReply } from '@botwire/core';
import { type AvatarRecord, avatarsIn } from '../avatars/avatar-records';
import { studioConfig } from '../credits/studio-config';
import { findStyle, splitStyle, stylePresets } from './styles';

/** What `avatar_generate` takes. */
export interface GenerateInput {
  prompt: string;
  style?: string;
  count?: number;
  /** Which avatar draws the person: its number in /avatars, or `none`. Default: the newest ready one. */
  avatar?: string | number;
}

/** One entry of a user's generation history (in the skill's per-user storage). */
export interface GenerationRecord {
  at: number;
  prompt: string;
  style: string;
  /** The prompt the image service got (after the style and the model's enhancement). */
  sent: string;
  count: number;
  credits: number;
  preview: boolean;
  /** The number (in /avatars) of the avatar it was drawn with. */
  avatar?: number;
}

const defaultStyle = 'portrait';

/**
 * `/generate [style:] <prompt>`: pictures from a description in a style preset. Everything
 * that can be refused is refused before any credit is taken (an empty prompt, an unknown
 * style, a prompt over the image service's limit, a short balance); the charge is once per
 * message, and given back when the image service fails. With a chat model, the description is
 * first rewritten into a detailed English prompt (the user's words when that fails).
 */
export async function generateImage(
  input: GenerateInput,
  context: ToolContext,
): Promise<ToolReply> {
  const images = context.images;
  if (!images) throw new Error('No image generator: give the bot config `images`.');
  const typed = splitStyle(input.prompt);
  const styleName = input.style ?? typed.style ?? defaultStyle;
  const style = findStyle(styleName);
  const locale = context.locale.startsWith('ru') ? 'ru' : 'en';
  if (!style) {
    const styles = stylePresets.map((preset) => preset.names[locale]).join(', ');
    return refused(
      context.t('generate.unknown_style', { style: styleName, styles }),
      'unknown-style',
    );
  }
  if (!typed.prompt) return refused(context.t('generate.no_prompt'), 'no-prompt');
  const chosen = await chooseAvatar(input.avatar, context);
  if ('refusal' in chosen) return refused(chosen.refusal, chosen.reason);
  const enhanced = await enhance(typed.prompt, context);
  const sent = `${enhanced}, ${style.suffix}`;
  if (sent.length > images.maxPromptLength)
    return refused(
      context.t('generate.too_long', { length: sent.length, max: images.maxPromptLength }),
      'too-long',
    );
  const user = context.user;
  const price = studioConfig(context.config).prices.generation;
  const key = context.message
    ? `generate:${context.message.platform}:${context.message.platformMessageId}`
    : `generate:${randomUUID()}`;
  let balance: number | undefined;
  if (price > 0) {
    if (!user) throw new Error(context.t('credits.no_user'));
    const paid = await context.credits.charge({
      userId: user.id,
      amount: price,
      operation: 'image.generate',
      key,
    });
    if (!paid.charged)
      return refused(
        context.t('generate.insufficient', { price, balance: paid.balance }),
        'insufficient-credits',
      );
    balance = paid.balance;
  }
  const count = Math.min(Math.max(Number(input.count ?? 1), 1), 4);
  let made: Awaited<ReturnType<typeof images.generate>>;
  try {
    made = await images.generate({
      prompt: sent,
      count,
      signal: context.signal,
      ...(chosen.avatar?.model
        ? { model: chosen.avatar.model, triggerWord: chosen.avatar.triggerWord }
        : {}),
    });
  } catch (error) {
    if (price > 0) await context.credits.refund(key);
    const reason = isBotwireError(error) ? error.message : 'the image service failed';
    context.log.warn('image-generation-failed', { error: reason });
    return refused(context.t('generate.failed', { error: reason, price }), 'provider-failed');
  }
  const preview = made.some((image) => image.preview);
  const record: GenerationRecord = {
    at: Date.now(),
    prompt: typed.prompt,
    style: style.id,
    sent,
    count: made.length,
    credits: price,
    preview,
    ...(chosen.avatar ? { avatar: chosen.number } : {}),
  };
  if (user) await context.userStorage.set(`history:${String(record.at).padStart(15, '0')}`, record);
  const caption = context.t(chosen.avatar ? 'generate.caption_avatar' : 'generate.caption', {
    style: style.names[locale],
    prompt: typed.prompt,
    number: chosen.number ?? 0,
  });
  const notes = [
    ...(preview ? [context.t('generate.preview')] : []),
    ...(price > 0 && balance !== undefined
      ? [context.t('generate.charged', { price, balance })]
      : []),
  ];
  return {
    text: [caption, ...notes].join('\n'),
    artifacts: made.map((image, index) => ({
      name: `picture-${index + 1}.${image.mimeType.split('/')[1] ?? 'png'}`,
      mimeType: image.mimeType,
      data: image.data,
    })),
    data: {
      generated: true,
      style: style.id,
      prompt: sent,
      count: made.length,
      credits: price,
      preview,
      ...(chosen.avatar ? { avatar: chosen.number } : {}),
    },
  };
}

const noAvatar = /^(none|no|без|нет|-|0)$/i;

/**
 * The avatar a generation draws with: the one asked for by number (refused when it is not
 * ready), none when asked so, else the newest ready one of the user (none when they have none).
 */
async function chooseAvatar(
  asked: string | number | undefined,
  context: ToolContext,
): Promise<{ avatar?: AvatarRecord; number?: number } | { refusal: string; reason: string }> {
  if (!context.user) return {};
  const wanted = asked === undefined ? '' : String(asked).trim().replace(/^[#№]/, '');
  if (noAvatar.test(wanted)) return {};
  const avatars = await avatarsIn(context.userStorage);
  if (wanted === '') {
    for (let index = avatars.length - 1; index >= 0; index--)
      if (avatars[index]!.status === 'ready' && avatars[index]!.model)
        return { avatar: avatars[index]!, number: index + 1 };
    return {};
  }
  const number = Number(wanted);
  const avatar = Number.isInteger(number) ? avatars[number - 1] : undefined;
  if (!avatar)
    return {
      refusal: context.t('generate.no_such_avatar', { avatar: wanted, count: avatars.length }),
      reason: 'unknown-avatar',
    };
  if (avatar.status !== 'ready' || !avatar.model)
    return {
      refusal: context.t(`generate.avatar_${avatar.status}`, { number }),
      reason: 'avatar-not-ready',
    };
  return { avatar, number };
}

function refused(text: string, reason: string): ToolReply {
  return { text, data: { generated: false, reason } };
}

/** With a chat model: the description as a detailed English image prompt; else as written. */
async function enhance(prompt: string, context: ToolContext): Promise<string> {
  if (!context.model) return prompt;
  try {
    const answer = await context.model.chat({
      messages: [
        {
          role: 'system',
          content:
            "Rewrite the user's picture description as one detailed English prompt for an image model: subject, setting, light, composition. Keep every person, object and detail they named; add no text, logos or real people. Answer with the prompt only, at most 60 words.",
        },
        { role: 'user', content: prompt },
      ],
      maxTokens: 160,
      signal: context.signal,
    });
    const text = answer.text.trim().replace(/^"|"$/g, '');
    return text && text.length <= 600 ? text : prompt;
  } catch (error) {
    context.log.warn('prompt-enhance-failed', {
      error: error instanceof Error ? error.message : String(error),
    });
    return prompt;
  }
}
