import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Attachment,
  BotwireError,
  type ToolContext,
  type ToolReply,
  type Transcriber,
} from '@botwire/core';
import { splitAudio, withPrivateDirectory } from './audio-chunks';
import { type AudioProbe, probeAudio } from './audio-probe';
import { transcribeInOrder } from './transcribe-long';
import { type TranscriptionSettings, transcriptionSettings } from './transcription-settings';
import { transcriptionText as say } from './transcription-strings';

/** What `transcribe_audio` returns in `data`. */
export type TranscribeAudioData =
  | {
      transcribed: true;
      text: string;
      language?: string;
      durationSeconds: number;
      /** Requests made: 1, or the number of chunks. */
      chunks: number;
      /** Credits taken for it (0 when free, or when this message was already paid for). */
      credits: number;
    }
  | {
      transcribed: false;
      reason: 'too-large' | 'not-audio' | 'too-short' | 'insufficient-credits';
      durationSeconds?: number;
      price?: number;
      balance?: number;
    };

/** Containers the provider takes as they are, by ffprobe's format name: the extension to send. */
const sentAsIs: Record<string, { extension: string; mimeType: string; codecs: string[] }> = {
  ogg: { extension: 'ogg', mimeType: 'audio/ogg', codecs: ['opus', 'vorbis', 'flac'] },
  mp3: { extension: 'mp3', mimeType: 'audio/mpeg', codecs: ['mp3'] },
  wav: { extension: 'wav', mimeType: 'audio/wav', codecs: ['pcm_s16le', 'pcm_s24le', 'pcm_f32le'] },
  flac: { extension: 'flac', mimeType: 'audio/flac', codecs: ['flac'] },
  'matroska,webm': { extension: 'webm', mimeType: 'audio/webm', codecs: ['opus', 'vorbis'] },
  'mov,mp4,m4a,3gp,3g2,mj2': { extension: 'm4a', mimeType: 'audio/mp4', codecs: ['aac', 'alac'] },
};

/**
 * The `transcribe_audio` tool: the first voice message or audio file of the message, as text.
 * In order: the bot must have a transcriber; a file over `maxAudioBytes` is refused before it is
 * downloaded; a file ffprobe finds no sound in (a PDF renamed `.ogg`) is refused with what it
 * is; when `prices.transcriptionPerMinute` is set the started minutes are charged once per
 * message (key `transcribe:<platform>:<platformMessageId>`, so a retry is not charged again), or
 * the call is refused with the price and balance when credits are short. Audio the provider
 * takes in one request (under its `maxBytes` and `chunkSeconds`, in a format it reads) is sent
 * as it is; anything else is re-encoded and cut into chunks transcribed in order, each with the
 * end of the previous text as its prompt. A failure gives the credits back.
 *
 * Refusals about the user's file or balance are replies with `data.transcribed: false`; a
 * message without audio and a bot without a transcriber are errors.
 *
 * @example
 * defineSkill({ tools: { transcribe_audio: transcribeAudio } });
 */
export async function transcribeAudio(
  input: { language?: string },
  context: ToolContext,
): Promise<ToolReply> {
  const settings = transcriptionSettings(context.config);
  const transcriber = context.transcriber;
  if (!transcriber) {
    throw new BotwireError('BOTWIRE_TRANSCRIPTION_FAILED', {
      message: say(context, 'transcribe.no_transcriber'),
      hint: 'Set `transcriber` in the bot config, such as openaiTranscriber() from @botwire/model-openai.',
      details: { reason: 'no-transcriber' },
    });
  }
  const attachment = pickAudio(context);
  const tooLarge = (size: number): ToolReply => ({
    text: say(context, 'transcribe.too_large', {
      size: megabytes(size),
      max: megabytes(settings.maxAudioBytes),
    }),
    data: { transcribed: false, reason: 'too-large' } satisfies TranscribeAudioData,
  });
  // The messenger said how big it is: refuse before downloading it.
  if (attachment.size !== undefined && attachment.size > settings.maxAudioBytes) {
    return tooLarge(attachment.size);
  }
  const audio = await attachment.download!(context.signal);
  if (audio.byteLength > settings.maxAudioBytes) return tooLarge(audio.byteLength);

  return withPrivateDirectory(async (directory) => {
    const inputPath = join(directory, 'input');
    await writeFile(inputPath, audio, { mode: 0o600 });
    const probe = await probeAudio(inputPath, audio.subarray(0, 16), { signal: context.signal });
    if (!probe.ok) return notAudio(context, probe);
    // Providers refuse less than a tenth of a second of audio.
    if (probe.durationSeconds < 0.1) {
      return {
        text: say(context, 'transcribe.too_short'),
        data: { transcribed: false, reason: 'too-short' } satisfies TranscribeAudioData,
      };
    }
    const durationSeconds = Math.round(probe.durationSeconds * 100) / 100;
    const minutes = Math.max(1, Math.ceil(probe.durationSeconds / 60));
    const price = Math.ceil(minutes * settings.pricePerMinute);

    let chargeKey: string | undefined;
    let credits = 0;
    if (price > 0) {
      const paid = await charge(context, price);
      if (!paid.charged) {
        return {
          text: say(context, 'transcribe.insufficient', {
            duration: clock(probe.durationSeconds),
            price,
            balance: paid.balance,
          }),
          data: {
            transcribed: false,
            reason: 'insufficient-credits',
            durationSeconds,
            price,
            balance: paid.balance,
          } satisfies TranscribeAudioData,
        };
      }
      // A repeated call for a message already paid for takes nothing, and gives nothing back.
      if (!paid.repeated) {
        chargeKey = paid.key;
        credits = price;
      }
    }

    try {
      const heard = await transcribe(transcriber, {
        inputPath,
        audio,
        probe,
        directory,
        settings,
        context,
        ...(input.language ? { language: input.language } : {}),
      });
      const details = [
        clock(probe.durationSeconds),
        ...(heard.chunks > 1 ? [say(context, 'transcribe.parts', { count: heard.chunks })] : []),
        ...(credits > 0 ? [say(context, 'transcribe.credits', { credits })] : []),
      ].join(', ');
      const body = heard.text || say(context, 'transcribe.empty');
      return {
        text: `${say(context, 'transcribe.header', { details })}\n${body}`,
        data: {
          transcribed: true,
          text: heard.text,
          ...(heard.language ? { language: heard.language } : {}),
          durationSeconds,
          chunks: heard.chunks,
          credits,
        } satisfies TranscribeAudioData,
      };
    } catch (error) {
      if (chargeKey) await context.credits.refund(chargeKey);
      throw error;
    }
  });
}

/** The first voice message or audio file of the message (or a file sent with an audio type). */
function pickAudio(context: ToolContext): Attachment {
  const attachments = context.message?.attachments ?? [];
  const attachment =
    attachments.find((item) => item.kind === 'voice' || item.kind === 'audio') ??
    attachments.find((item) => item.mimeType?.startsWith('audio/'));
  if (!attachment?.download) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: say(context, 'transcribe.no_audio'),
      details: { reason: 'no-audio' },
    });
  }
  return attachment;
}

async function charge(context: ToolContext, price: number) {
  const { user, message } = context;
  if (!user || !message) {
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: 'Paid transcription runs for a user and their message; this call has neither.',
    });
  }
  const key = `transcribe:${message.platform}:${message.platformMessageId}`;
  const paid = await context.credits.charge({
    userId: user.id,
    amount: price,
    operation: 'audio.transcribe',
    key,
  });
  return { ...paid, key, repeated: paid.charged && paid.repeated };
}

function notAudio(context: ToolContext, probe: Extract<AudioProbe, { ok: false }>): ToolReply {
  const text = probe.looksLike
    ? say(context, 'transcribe.not_audio_kind', {
        kind: say(context, `transcribe.kind.${probe.looksLike}`),
      })
    : say(
        context,
        probe.reason === 'no-audio'
          ? 'transcribe.not_audio_silent'
          : 'transcribe.not_audio_unreadable',
      );
  return { text, data: { transcribed: false, reason: 'not-audio' } satisfies TranscribeAudioData };
}

async function transcribe(
  transcriber: Transcriber,
  job: {
    inputPath: string;
    audio: Uint8Array;
    probe: Extract<AudioProbe, { ok: true }>;
    directory: string;
    settings: TranscriptionSettings;
    context: ToolContext;
    language?: string;
  },
): Promise<{ text: string; language?: string; chunks: number }> {
  const { probe, settings, context } = job;
  const signal = context.signal;
  const asIs = sentAsIs[probe.format];
  if (
    asIs?.codecs.includes(probe.codec) &&
    job.audio.byteLength <= transcriber.maxBytes &&
    probe.durationSeconds <= settings.chunkSeconds
  ) {
    const heard = await transcriber.transcribe({
      audio: job.audio,
      mimeType: asIs.mimeType,
      fileName: `audio.${asIs.extension}`,
      ...(job.language ? { language: job.language } : {}),
      signal,
    });
    const language = heard.language ?? job.language;
    return { text: heard.text.trim(), ...(language ? { language } : {}), chunks: 1 };
  }
  const chunkDirectory = join(job.directory, 'chunks');
  await mkdir(chunkDirectory, { mode: 0o700 });
  const chunks = await splitAudio(job.inputPath, {
    durationSeconds: probe.durationSeconds,
    maxChunkSeconds: settings.chunkSeconds,
    maxBytes: transcriber.maxBytes,
    directory: chunkDirectory,
    signal,
  });
  context.log.debug('transcription-chunked', {
    durationSeconds: probe.durationSeconds,
    chunks: chunks.length,
  });
  const heard = await transcribeInOrder(transcriber, chunks, {
    ...(job.language ? { language: job.language } : {}),
    signal,
    concurrency: settings.concurrency,
    onProgress: (progress) => context.log.debug('transcription-progress', { ...progress }),
  });
  return {
    text: heard.text,
    ...(heard.language ? { language: heard.language } : {}),
    chunks: chunks.length,
  };
}

function megabytes(bytes: number): string {
  return String(Math.round((bytes / (1024 * 1024)) * 10) / 10);
}

/** `0:42`, `10:00`, `1:02:03`. */
function clock(seconds: number): string {
  const total = Math.round(seconds);
  const pad = (value: number) => String(value).padStart(2, '0');
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor(total / 60) % 60;
  return hours > 0
    ? `${hours}:${pad(minutes)}:${pad(total % 60)}`
    : `${minutes}:${pad(total % 60)}`;
}
