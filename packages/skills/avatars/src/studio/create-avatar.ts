import type {
  AnswerResult,
  Attachment,
  BotContext,
  BotServices,
  ConversationAnswer,
  ConversationDefinition,
  OutgoingMessage,
  TrainingKind,
} from '@botwire/core';
import { checkPhoto, checkPhotoSize, type PhotoRules } from '../photos/check-photo';
import type { AvatarTraining } from './avatar-training';
import { type StudioStringKey, studioText } from './studio-strings';

/** The conversation's name. */
export const createAvatarConversation = 'avatars.create';

/** Button data of the conversation. */
const kindButton = 'avatars:kind:';
const doneButton = 'avatars:done';

/** What the conversation collects: the kind, and what to tell about the last photo. */
export interface CreateAvatarData extends Record<string, unknown> {
  kind?: TrainingKind;
  /** Photos kept so far. */
  photos?: number;
  /** The reply to the last photo (accepted or why not), shown above the next question. */
  notice?: string;
}

const portraitWords = /^(1|portrait|портрет\w*|photo\w*|фото\w*|realistic|реалист\w*)$/i;
const styleWords = /^(2|artistic|art|style|стиль\w*|худож\w*|арт)$/i;
const doneWords = /^(done|ready|finish|train|готово|готов|всё|все|хватит|обучить)[.!]?$/i;

/**
 * `/create_avatar`: choose the kind (portrait or artistic), then send 10–20 photos. Each photo
 * is checked as it comes (size before downloading, real type, resolution, duplicates) and kept
 * in storage, with "7/10" progress or a reason it was refused; Done (or the last allowed photo)
 * submits the training. The photos outlive the conversation until the training is submitted,
 * so a timeout, a restart or a short balance loses none; /cancel deletes them.
 */
export function createAvatar(
  trainingFor: (services: BotServices) => AvatarTraining,
): ConversationDefinition<CreateAvatarData> {
  const training = (context: BotContext) => trainingFor(context.services);
  return {
    name: createAvatarConversation,
    timeoutMs: 30 * 60_000,
    steps: [
      {
        id: 'kind',
        ask: async (context) => askKind(training(context), context),
        answer: ({ text, buttonData }, _data, context) => {
          const chosen = buttonData?.startsWith(kindButton)
            ? buttonData.slice(kindButton.length)
            : portraitWords.test(text.trim())
              ? 'portrait'
              : styleWords.test(text.trim())
                ? 'style'
                : undefined;
          if (chosen !== 'portrait' && chosen !== 'style')
            return { error: studioText(context.locale, 'studio.kind_unknown') };
          return { value: chosen };
        },
      },
      {
        id: 'photos',
        ask: async (context, data) => askPhotos(training(context), context, data),
        answer: (answer, _data, context) => takePhoto(training(context), answer, context),
      },
    ],
    done: (context, data) => training(context).submit(context, data.kind ?? 'portrait'),
    cancelled: async (context) => {
      await training(context).uploads.clear(context.user.id);
      await context.reply(studioText(context.locale, 'studio.cancelled'));
    },
  };
}

async function askKind(training: AvatarTraining, context: BotContext): Promise<OutgoingMessage> {
  const locale = context.locale;
  const kept = (await training.uploads.list(context.user.id)).length;
  const lines = [
    studioText(locale, 'studio.intro', {
      price: training.price(),
      balance: await training.ledger.balance(context.user.id),
    }),
    ...(kept ? [studioText(locale, 'studio.kept_photos', { count: kept })] : []),
  ];
  return {
    text: lines.join('\n\n'),
    buttons: [
      [{ label: studioText(locale, 'studio.kind_portrait'), data: `${kindButton}portrait` }],
      [{ label: studioText(locale, 'studio.kind_style'), data: `${kindButton}style` }],
    ],
  };
}

async function askPhotos(
  training: AvatarTraining,
  context: BotContext,
  data: CreateAvatarData,
): Promise<OutgoingMessage> {
  const { minPhotos: min, maxPhotos: max, photoRules } = training.settings;
  const count = (await training.uploads.list(context.user.id)).length;
  const locale = context.locale;
  const text =
    data.notice ??
    studioText(locale, 'studio.send_photos', { min, max, count, side: photoRules.minSide });
  return {
    text,
    ...(count >= min
      ? {
          buttons: [
            [{ label: studioText(locale, 'studio.done_button', { count }), data: doneButton }],
          ],
        }
      : {}),
  };
}

/** Reads one answer of the photo step: a photo to check and keep, Done, or anything else. */
async function takePhoto(
  training: AvatarTraining,
  answer: ConversationAnswer,
  context: BotContext,
): Promise<AnswerResult> {
  const { minPhotos: min, maxPhotos: max, photoRules } = training.settings;
  const locale = context.locale;
  const userId = context.user.id;
  const kept = await training.uploads.list(userId);
  const again = (key: StudioStringKey, params: Record<string, string | number> = {}) => ({
    value: kept.length,
    next: 'photos',
    data: { notice: studioText(locale, key, { count: kept.length, min, max, ...params }) },
  });
  const file = answer.attachments.find(
    (attachment) => attachment.kind === 'photo' || attachment.kind === 'document',
  );
  if (!file) {
    const other = answer.attachments[0];
    if (other) return again('studio.refused_not-image', { kind: other.kind });
    if (answer.buttonData === doneButton || doneWords.test(answer.text.trim())) {
      if (kept.length >= min) return { value: kept.length, next: null };
      return again('studio.need_more');
    }
    return again('studio.need_photo');
  }
  const bytes = await download(file, photoRules, context);
  if ('refused' in bytes) return again(bytes.refused, bytes.params);
  const checked = checkPhoto(
    bytes.data,
    kept.map((photo) => photo.sha256),
    photoRules,
  );
  if (!checked.ok) {
    const detail: Record<string, string | number> = { ...checked.detail };
    if (checked.reason === 'not-image')
      detail.kind = checked.detail.kind === 'unknown' ? '?' : checked.detail.kind.toUpperCase();
    return again(`studio.refused_${checked.reason}` as StudioStringKey, detail);
  }
  const photos = await training.uploads.add(userId, checked.photo, bytes.data);
  const count = photos.length;
  if (count >= max) return { value: count, next: null };
  const key = count >= min ? 'studio.photo_accepted_more' : 'studio.photo_accepted';
  return {
    value: count,
    next: 'photos',
    data: { notice: studioText(locale, key, { count, min, max }) },
  };
}

/** The file's bytes, or why not: a size the messenger announced over the limit is refused unread. */
async function download(
  file: Attachment,
  rules: PhotoRules,
  context: BotContext,
): Promise<
  { data: Uint8Array } | { refused: StudioStringKey; params: Record<string, string | number> }
> {
  const tooLarge = file.size === undefined ? undefined : checkPhotoSize(file.size, rules);
  if (tooLarge) return { refused: 'studio.refused_too-large', params: tooLarge.detail };
  if (!file.download) return { refused: 'studio.refused_download', params: { error: '—' } };
  try {
    return { data: await file.download() };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    context.log.warn('avatar-photo-download-failed', { error: reason });
    return { refused: 'studio.refused_download', params: { error: reason } };
  }
}
