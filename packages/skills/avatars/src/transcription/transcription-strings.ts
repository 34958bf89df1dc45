import type { StringTable, ToolContext } from '@botwire/core';

/**
 * The texts of `transcribe_audio`, in English and Russian, under `transcribe.*` keys: spread
 * them into the skill's `strings` to let a bot's strings override them; {@link transcriptionText}
 * finds them either way.
 */
export const transcriptionStrings = {
  en: {
    'transcribe.header': 'Transcript ({details}):',
    'transcribe.parts': '{count} parts',
    'transcribe.credits': '{credits} credits',
    'transcribe.empty': 'No speech was heard in the recording.',
    'transcribe.no_transcriber':
      'Transcription is not set up on this bot: its operator has to configure a speech-to-text provider (`transcriber` in the bot config).',
    'transcribe.no_audio': 'Send a voice message or an audio file, and I will transcribe it.',
    'transcribe.too_large':
      'The file is {size} MB; audio may be at most {max} MB. Send a shorter recording or split it.',
    'transcribe.not_audio_kind':
      'This file is not audio: it is {kind}. Send a voice message or an audio file.',
    'transcribe.not_audio_unreadable':
      'This file is not audio: it cannot be read as sound (it is damaged, or another kind of file). Send a voice message or an audio file.',
    'transcribe.not_audio_silent':
      'This file has no sound track. Send a voice message or an audio file.',
    'transcribe.too_short':
      'The recording is too short to transcribe: send at least a second of speech.',
    'transcribe.insufficient':
      'Transcribing {duration} costs {price} credits; your balance is {balance}. Top up with /balance and send it again.',
    'transcribe.kind.pdf': 'a PDF document',
    'transcribe.kind.zip': 'a ZIP archive or an Office document',
    'transcribe.kind.png': 'a PNG picture',
    'transcribe.kind.jpeg': 'a JPEG picture',
    'transcribe.kind.gif': 'a GIF picture',
    'transcribe.kind.program': 'a program',
  },
  ru: {
    'transcribe.header': 'Расшифровка ({details}):',
    'transcribe.parts': 'частей: {count}',
    'transcribe.credits': 'кредитов: {credits}',
    'transcribe.empty': 'В записи не слышно речи.',
    'transcribe.no_transcriber':
      'Расшифровка аудио на этом боте не настроена: владельцу бота нужно подключить сервис распознавания речи (`transcriber` в конфиге бота).',
    'transcribe.no_audio': 'Пришлите голосовое сообщение или аудиофайл, и я его расшифрую.',
    'transcribe.too_large':
      'Файл весит {size} МБ, а аудио может быть не больше {max} МБ. Пришлите запись покороче или разделите её.',
    'transcribe.not_audio_kind':
      'Это не аудио, а {kind}. Пришлите голосовое сообщение или аудиофайл.',
    'transcribe.not_audio_unreadable':
      'Это не аудио: файл не читается как звук (он повреждён или это файл другого типа). Пришлите голосовое сообщение или аудиофайл.',
    'transcribe.not_audio_silent':
      'В этом файле нет звуковой дорожки. Пришлите голосовое сообщение или аудиофайл.',
    'transcribe.too_short':
      'Запись слишком короткая для расшифровки: пришлите хотя бы секунду речи.',
    'transcribe.insufficient':
      'Расшифровка записи длиной {duration} стоит {price} кр., а на балансе {balance} кр. Пополните баланс: /balance — и пришлите запись снова.',
    'transcribe.kind.pdf': 'PDF-документ',
    'transcribe.kind.zip': 'ZIP-архив или офисный документ',
    'transcribe.kind.png': 'картинка PNG',
    'transcribe.kind.jpeg': 'картинка JPEG',
    'transcribe.kind.gif': 'картинка GIF',
    'transcribe.kind.program': 'программа',
  },
} satisfies StringTable;

/** A key of {@link transcriptionStrings}. */
export type TranscriptionStringKey = keyof (typeof transcriptionStrings)['en'];

/**
 * The text of `key` in the user's language: the skill's own strings first (`context.t`), else
 * {@link transcriptionStrings} (Russian for `ru` and its neighbours, else English).
 *
 * @example
 * transcriptionText(context, 'transcribe.too_large', { size: 120, max: 100 });
 */
export function transcriptionText(
  context: Pick<ToolContext, 't' | 'locale'>,
  key: TranscriptionStringKey,
  params: Record<string, string | number> = {},
): string {
  const translated = context.t(key, params);
  if (translated !== key) return translated;
  const russian = ['ru', 'uk', 'be', 'kk'].includes(context.locale);
  const template: string = (russian ? transcriptionStrings.ru : transcriptionStrings.en)[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
