import type { Transcriber } from '@botwire/core';

/** A piece of audio {@link transcribeInOrder} sends: read when its turn comes. */
export interface AudioPiece {
  fileName: string;
  mimeType: string;
  read(): Promise<Uint8Array>;
}

/** Reported after each piece is transcribed. */
export interface TranscriptionProgress {
  /** Pieces done so far. */
  done: number;
  total: number;
  /** The 0-based index of the piece just finished. */
  index: number;
}

/** Options of {@link transcribeInOrder}. */
export interface TranscribeInOrderOptions {
  language?: string;
  /** Text that comes before the recording (names, spelling), for the first piece. */
  prompt?: string;
  signal?: AbortSignal;
  /**
   * Pieces transcribed at once. Default 1: one after another, each with the end of the previous
   * piece's text as its prompt. Above 1 a piece gets that prompt only when the previous piece
   * finished before it started; the texts are joined in order all the same.
   */
  concurrency?: number;
  onProgress?: (progress: TranscriptionProgress) => void;
}

/** What {@link transcribeInOrder} heard. */
export interface LongTranscription {
  /** The pieces' texts, in order, joined with spaces (empty pieces left out). */
  text: string;
  /** Each piece's text, in order. */
  parts: string[];
  /** The language the provider detected most often, when it says. */
  language?: string;
}

/** How much of the previous piece's text goes into the next prompt (Whisper reads ~224 tokens). */
const promptChars = 400;

/**
 * Transcribes pieces of one recording (the chunks of {@link splitAudio}) and joins their texts
 * in the recording's order, whatever order the provider answers in. The first failure stops
 * the rest (pieces not yet started are not sent) and is thrown as it is.
 *
 * @example
 * const { text } = await transcribeInOrder(transcriber, chunks, { language: 'ru', signal });
 */
export async function transcribeInOrder(
  transcriber: Transcriber,
  pieces: readonly AudioPiece[],
  options: TranscribeInOrderOptions = {},
): Promise<LongTranscription> {
  const parts: (string | undefined)[] = pieces.map(() => undefined);
  const languages: string[] = [];
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 1, pieces.length || 1));
  let next = 0;
  let done = 0;
  let failed = false;

  const promptFor = (index: number): string | undefined => {
    const previous = index > 0 ? parts[index - 1] : undefined;
    // Cut at a word boundary when the text is longer than the prompt may be.
    const tail =
      previous && previous.length > promptChars
        ? previous.slice(-promptChars).replace(/^\S*\s+/, '')
        : previous;
    return tail || options.prompt || undefined;
  };

  const worker = async () => {
    while (!failed && next < pieces.length) {
      const index = next++;
      const piece = pieces[index]!;
      try {
        options.signal?.throwIfAborted();
        const prompt = promptFor(index);
        const heard = await transcriber.transcribe({
          audio: await piece.read(),
          mimeType: piece.mimeType,
          fileName: piece.fileName,
          ...(options.language ? { language: options.language } : {}),
          ...(prompt ? { prompt } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
        parts[index] = heard.text.trim();
        if (heard.language) languages.push(heard.language);
      } catch (error) {
        failed = true;
        throw error;
      }
      done += 1;
      options.onProgress?.({ done, total: pieces.length, index });
    }
  };

  await Promise.all(Array.from({ length: concurrency }, worker));
  const texts = parts.map((part) => part ?? '');
  const language = mostCommon(languages) ?? options.language;
  return {
    text: texts.filter(Boolean).join(' '),
    parts: texts,
    ...(language ? { language } : {}),
  };
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | undefined;
  for (const [value, count] of counts) if (!best || count > counts.get(best)!) best = value;
  return best;
}
