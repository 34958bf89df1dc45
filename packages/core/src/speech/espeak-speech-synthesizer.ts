import { spawn } from 'node:child_process';
import { BotwireError } from '../errors/botwire-error';
import type {
  SpeechRequest,
  SpeechSynthesizer,
  SynthesizedSpeech,
} from '../ports/speech-synthesizer';
import { speechText } from './speech-text';
import { wavDurationSeconds } from './wav-duration';

/** Options of {@link espeakSpeechSynthesizer}. */
export interface EspeakSpeechSynthesizerOptions {
  /** The espeak-ng program. Default `espeak-ng`. */
  espeak?: string;
  /** The ffmpeg program (with libopus). Default `ffmpeg`. */
  ffmpeg?: string;
  /** The espeak-ng voice for each language; default `ru` → `ru`, `en` → `en-us`, others as named. */
  voices?: Record<string, string>;
  /** The longest text read, in characters. Default 2000. */
  maxTextLength?: number;
  /** How long one text may take, in ms. Default 30 s. */
  timeoutMs?: number;
}

const defaultVoices: Record<string, string> = { en: 'en-us', ru: 'ru' };

/**
 * The embedded text-to-speech driver: no account, no network. espeak-ng reads the text (a
 * robotic but clear voice, in about a hundred languages) and ffmpeg encodes it as OGG/Opus, 48
 * kHz mono, which Telegram plays as a voice message. Both come from the system
 * (`apt-get install -y espeak-ng ffmpeg`); without them `synthesize` fails with
 * BOTWIRE_SPEECH_UNAVAILABLE saying so, and `botwire doctor` checks for them.
 *
 * @example
 * const speech = espeakSpeechSynthesizer();
 * const { data, durationSeconds } = await speech.synthesize({ text: 'Привет!', language: 'ru' });
 */
export function espeakSpeechSynthesizer(
  options: EspeakSpeechSynthesizerOptions = {},
): SpeechSynthesizer {
  const maxTextLength = options.maxTextLength ?? 2000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const voices = { ...defaultVoices, ...options.voices };
  return {
    name: 'espeak',
    maxTextLength,
    async synthesize(request: SpeechRequest): Promise<SynthesizedSpeech> {
      const text = speechText(request, maxTextLength, 'espeak');
      const language = (request.language ?? 'en').toLowerCase().split('-')[0]!;
      const voice = request.voice ?? voices[language] ?? language;
      if (!/^[a-z]{2,3}(-[a-z0-9]+)*(\+[a-z0-9]+)?$/i.test(voice))
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `"${voice}" is not an espeak-ng voice name (such as en-us, ru or de+f3).`,
        });
      const speed = Math.min(2, Math.max(0.5, request.speed ?? 1));
      const controller = new AbortController();
      const abort = () => controller.abort(request.signal?.reason);
      request.signal?.addEventListener('abort', abort, { once: true });
      const timer = setTimeout(() => controller.abort(new Error('timeout')), timeoutMs);
      try {
        const wav = await run(
          options.espeak ?? 'espeak-ng',
          ['-v', voice, '-s', String(Math.round(175 * speed)), '--stdout', '--stdin', '-b', '1'],
          Buffer.from(text, 'utf8'),
          controller.signal,
        );
        const durationSeconds = wavDurationSeconds(wav);
        if (durationSeconds === undefined)
          throw new BotwireError('BOTWIRE_SPEECH_FAILED', {
            message: `espeak-ng gave no WAV audio for voice "${voice}".`,
          });
        const ogg = await run(
          options.ffmpeg ?? 'ffmpeg',
          [
            '-hide_banner',
            '-loglevel',
            'error',
            '-f',
            'wav',
            '-i',
            'pipe:0',
            '-c:a',
            'libopus',
            '-b:a',
            '32k',
            '-ar',
            '48000',
            '-ac',
            '1',
            '-application',
            'voip',
            '-f',
            'ogg',
            'pipe:1',
          ],
          wav,
          controller.signal,
        );
        return { data: ogg, mimeType: 'audio/ogg', durationSeconds };
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason ?? error;
        if (controller.signal.aborted)
          throw new BotwireError('BOTWIRE_SPEECH_FAILED', {
            message: `Reading the text aloud took longer than ${timeoutMs} ms.`,
          });
        throw error;
      } finally {
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', abort);
      }
    },
  };
}

/** Runs a program with `input` on its stdin and resolves with its stdout. */
function run(
  program: string,
  args: string[],
  input: Uint8Array,
  signal: AbortSignal,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], signal });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 2000) err += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        reject(
          new BotwireError('BOTWIRE_SPEECH_UNAVAILABLE', {
            message: `${program} is not installed, so the bot cannot speak.`,
            hint: 'Install it: apt-get install -y espeak-ng ffmpeg (or configure another speech driver, such as openaiSpeechSynthesizer()).',
          }),
        );
      else reject(error);
    });
    child.stdin.on('error', () => {
      // A program that exits early closes its stdin; its exit code tells what happened.
    });
    child.on('close', (code) => {
      if (code === 0) resolve(new Uint8Array(Buffer.concat(out)));
      else if (!signal.aborted)
        reject(
          new BotwireError('BOTWIRE_SPEECH_FAILED', {
            message: `${program} failed (exit ${code}): ${err.trim().split('\n').slice(-2).join(' ') || 'no message'}`,
          }),
        );
    });
    child.stdin.end(input);
  });
}
