import { createHash } from 'node:crypto';
import { whisperLanguages } from '../whisper-languages';
import { invalidRequest, type OpenAiErrorObject } from './openai-messages';

/** The API's upload limit for transcription, in bytes (25 MB). */
export const transcriptionMaxBytes = 26_214_400;

const transcriptionModels = [
  'whisper-1',
  'gpt-4o-transcribe',
  'gpt-4o-mini-transcribe',
  'gpt-4o-mini-transcribe-2025-12-15',
  'gpt-4o-transcribe-diarize',
];
const audioFormats = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'];
const responseFormats = ['json', 'text', 'srt', 'verbose_json', 'vtt'];

/** The audio file of a transcription request, as the peer received it. */
export interface PeerAudioFile {
  name: string;
  type: string;
  bytes: Uint8Array;
  /** The SHA-256 of the bytes, in hex: the key of `peer.transcripts`. */
  sha256: string;
}

/** A valid transcription request, as the peer understood it. */
export interface CheckedTranscriptionRequest {
  file: PeerAudioFile;
  model: string;
  language?: string;
  prompt?: string;
  responseFormat: string;
}

/**
 * The key `peer.transcripts` files a transcript under: the SHA-256 of the audio's bytes, in hex.
 *
 * @example
 * peer.transcripts.set(transcriptKey(chunk), 'The first minute of the talk.');
 */
export function transcriptKey(audio: Uint8Array): string {
  return createHash('sha256').update(audio).digest('hex');
}

/**
 * Reads and checks a `POST /v1/audio/transcriptions` multipart body as the API does: a file with
 * a supported extension, not empty, under 25 MB (413 over it), a transcription model, an ISO
 * 639-1 language, and a response format the model gives (`gpt-4o-*` models: `json` and `text`).
 * Returns the request, or the status and OpenAI error object to answer with.
 */
export async function checkTranscriptionBody(
  raw: Buffer,
  contentType: string | undefined,
  extraModels: string[] | undefined,
): Promise<CheckedTranscriptionRequest | { status: number; error: OpenAiErrorObject }> {
  const bad = (message: string, param: string | null = null, code: string | null = null) => ({
    status: 400,
    error: invalidRequest(message, param, code),
  });
  if (!contentType?.startsWith('multipart/form-data')) {
    return bad('Invalid Content-Type header (expected multipart/form-data).');
  }
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return bad('Could not parse multipart form');
  }
  const file = form.get('file');
  if (file === null)
    return bad("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
  if (typeof file === 'string')
    return bad(
      "Invalid type for 'file': expected a file, but got a string instead.",
      'file',
      'invalid_type',
    );
  const model = form.get('model');
  if (model === null)
    return bad("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  const models = [...transcriptionModels, ...(extraModels ?? [])];
  if (typeof model !== 'string' || !models.includes(model)) {
    return bad(
      `Invalid value: '${String(model)}'. The model does not transcribe audio; supported values are: ${models.join(', ')}.`,
      'model',
      'invalid_value',
    );
  }
  if (file.size > transcriptionMaxBytes) {
    return {
      status: 413,
      error: {
        message: `Maximum content size limit (${transcriptionMaxBytes}) exceeded (${file.size} bytes read)`,
        type: 'server_error',
        param: null,
        code: null,
      },
    };
  }
  const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
  if (!file.name.includes('.') || !audioFormats.includes(extension)) {
    return bad(
      `Invalid file format. Supported formats: [${audioFormats.map((format) => `'${format}'`).join(', ')}]`,
    );
  }
  if (file.size === 0)
    return bad(
      'Audio file is too short. Minimum audio length is 0.1 seconds.',
      'file',
      'audio_too_short',
    );
  const responseFormat = form.get('response_format') ?? 'json';
  if (typeof responseFormat !== 'string' || !responseFormats.includes(responseFormat)) {
    return bad(
      `Invalid value: '${String(responseFormat)}'. Supported values are: ${responseFormats.join(', ')}.`,
      'response_format',
      'invalid_value',
    );
  }
  if (model.startsWith('gpt-4o') && !['json', 'text'].includes(responseFormat)) {
    return bad(
      `response_format '${responseFormat}' is not compatible with model '${model}'. Use 'json' or 'text' instead.`,
      'response_format',
      'unsupported_value',
    );
  }
  const language = form.get('language');
  if (language !== null && (typeof language !== 'string' || !/^[a-z]{2}$/.test(language))) {
    return bad(
      `Invalid language '${String(language)}'. Language parameter must be specified in ISO-639-1 format.`,
      'language',
      'invalid_language_format',
    );
  }
  const prompt = form.get('prompt');
  const bytes = new Uint8Array(await file.arrayBuffer());
  return {
    file: { name: file.name, type: file.type, bytes, sha256: transcriptKey(bytes) },
    model,
    ...(language ? { language } : {}),
    ...(typeof prompt === 'string' && prompt ? { prompt } : {}),
    responseFormat,
  };
}

/**
 * The audio's length in seconds, read from its container where the peer can (WAV from its
 * header, Ogg Opus from the last page's granule position), else estimated at 128 kbit/s.
 */
export function audioDuration(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes.length >= 44 && text(0, 4) === 'RIFF' && text(8, 12) === 'WAVE') {
    let byteRate = 0;
    for (let offset = 12; offset + 8 <= bytes.length; ) {
      const id = text(offset, offset + 4);
      const size = view.getUint32(offset + 4, true);
      if (id === 'fmt ') byteRate = view.getUint32(offset + 16, true);
      if (id === 'data' && byteRate > 0) {
        return Math.min(size, bytes.length - offset - 8) / byteRate;
      }
      offset += 8 + size + (size % 2);
    }
  }
  if (text(0, 4) === 'OggS' && Buffer.from(bytes).includes('OpusHead')) {
    const last = Buffer.from(bytes).lastIndexOf('OggS');
    if (last >= 0 && last + 14 <= bytes.length) {
      return Number(view.getBigUint64(last + 6, true)) / 48_000;
    }
  }
  return bytes.length / 16_000;
}

/**
 * The body of the answer in the asked format: `{ text }` for `json`, plain text for `text`,
 * subtitles for `srt` and `vtt`, and for `verbose_json` the language as Whisper names it
 * (`english`), the duration and one segment.
 */
export function transcriptionAnswer(
  request: CheckedTranscriptionRequest,
  text: string,
): { contentType: string; body: string } {
  const duration = Math.round(audioDuration(request.file.bytes) * 100) / 100;
  const stamp = (seconds: number, separator: string) => {
    const ms = Math.round(seconds * 1000);
    const pad = (value: number, width = 2) => String(value).padStart(width, '0');
    return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
  };
  switch (request.responseFormat) {
    case 'text':
      return { contentType: 'text/plain; charset=utf-8', body: `${text}\n` };
    case 'srt':
      return {
        contentType: 'text/plain; charset=utf-8',
        body: `1\n${stamp(0, ',')} --> ${stamp(duration, ',')}\n${text}\n\n`,
      };
    case 'vtt':
      return {
        contentType: 'text/plain; charset=utf-8',
        body: `WEBVTT\n\n${stamp(0, '.')} --> ${stamp(duration, '.')}\n${text}\n\n`,
      };
    case 'verbose_json': {
      const language = whisperLanguages[request.language ?? 'en'] ?? request.language;
      const body = {
        task: 'transcribe',
        language,
        duration,
        text,
        segments: [
          {
            id: 0,
            seek: 0,
            start: 0,
            end: duration,
            text: ` ${text}`,
            tokens: [],
            temperature: 0,
            avg_logprob: -0.2,
            compression_ratio: 1,
            no_speech_prob: 0.01,
          },
        ],
        usage: { type: 'duration', seconds: Math.ceil(duration) },
      };
      return { contentType: 'application/json', body: JSON.stringify(body) };
    }
    default:
      return {
        contentType: 'application/json',
        body: JSON.stringify({ text, usage: { type: 'duration', seconds: Math.ceil(duration) } }),
      };
  }
}
