import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotwireError } from '@botwire/core';
import { runMediaTool } from './run-media-tool';

/** The bit rate of chunks: 16 kHz mono Opus at a constant 24 kbit/s (3 000 bytes a second). */
export const chunkBitsPerSecond = 24_000;

/** The longest chunk by default: ten minutes. */
export const defaultChunkSeconds = 600;

/** One piece of a long recording, encoded as 16 kHz mono Ogg Opus. */
export interface AudioChunk {
  /** 0-based, in the order of the recording. */
  index: number;
  /** Where the chunk starts in the recording, in seconds (as planned). */
  startSeconds: number;
  /** The chunk's file (in the private temporary folder). */
  path: string;
  /** `chunk-0001.ogg`: the name sent to the provider. */
  fileName: string;
  mimeType: 'audio/ogg';
  /** Size in bytes. */
  bytes: number;
  /** Reads the chunk's bytes. */
  read(): Promise<Uint8Array>;
}

/** How a recording will be cut: the number of chunks and the length of each. */
export interface ChunkPlan {
  count: number;
  /** The length of every chunk but maybe the last, in seconds. */
  chunkSeconds: number;
}

/**
 * How to cut `durationSeconds` of audio so each chunk is at most `maxChunkSeconds` long and,
 * at {@link chunkBitsPerSecond}, under 90 % of `maxBytes`: the fewest chunks, of equal length
 * (601 s in chunks of 600 s is two of 300.5 s, not 600 s and a sliver).
 *
 * @example
 * planChunks(1800, 600, 25 * 1024 * 1024); // { count: 3, chunkSeconds: 600 }
 */
export function planChunks(
  durationSeconds: number,
  maxChunkSeconds: number,
  maxBytes: number,
): ChunkPlan {
  const bySize = Math.floor((maxBytes * 0.9) / (chunkBitsPerSecond / 8));
  const longest = Math.max(1, Math.min(maxChunkSeconds, bySize));
  const count = Math.max(1, Math.ceil(durationSeconds / longest));
  return { count, chunkSeconds: durationSeconds / count };
}

/** Options of {@link splitAudio}. */
export interface SplitAudioOptions {
  /** The recording's length (from {@link probeAudio}). */
  durationSeconds: number;
  /** The longest chunk, in seconds. Default 600. */
  maxChunkSeconds?: number;
  /** The largest chunk the transcriber takes, in bytes. */
  maxBytes: number;
  /** The folder to write chunks in (private, removed by the caller). */
  directory: string;
  signal?: AbortSignal;
  /** For the ffmpeg run. Default 60 s plus a tenth of the recording's length. */
  timeoutMs?: number;
  ffmpegPath?: string;
}

/**
 * Re-encodes a recording's first audio stream as 16 kHz mono Ogg Opus at a constant 24 kbit/s
 * (about 1.8 MB for ten minutes, so chunk sizes are predictable) and cuts it, in one ffmpeg
 * pass, into the chunks of {@link planChunks}. A single chunk is simply the recording made
 * compact (a WAV too large to send, a format the provider does not take). Chunks come back in
 * order; a chunk still over `maxBytes` is a `BOTWIRE_TRANSCRIPTION_TOO_LARGE`.
 *
 * @example
 * await withPrivateDirectory(async (directory) => {
 *   const chunks = await splitAudio(inputPath, { durationSeconds: 1800, maxBytes, directory });
 * });
 */
export async function splitAudio(input: string, options: SplitAudioOptions): Promise<AudioChunk[]> {
  const plan = planChunks(
    options.durationSeconds,
    options.maxChunkSeconds ?? defaultChunkSeconds,
    options.maxBytes,
  );
  // A tenth of a second past the planned cut keeps a recording whose end is rounded (Opus
  // frames are 20 ms) from ending in a sliver of a chunk the provider would refuse.
  const segmentSeconds =
    plan.count === 1 ? options.durationSeconds + 3600 : plan.chunkSeconds + 0.1;
  const args = [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-i',
    input,
    '-map',
    '0:a:0',
    '-vn',
    '-sn',
    '-dn',
    '-map_metadata',
    '-1',
    '-ac',
    '1',
    '-ar',
    '16000',
    '-c:a',
    'libopus',
    '-b:a',
    String(chunkBitsPerSecond),
    '-vbr',
    'off',
    // Level 5 of 10: a third faster than the default at no cost a transcriber hears.
    '-compression_level',
    '5',
    '-f',
    'segment',
    '-segment_time',
    segmentSeconds.toFixed(3),
    '-segment_format',
    'ogg',
    '-reset_timestamps',
    '1',
    join(options.directory, 'chunk-%04d.ogg'),
  ];
  await runMediaTool('ffmpeg', args, {
    timeoutMs: options.timeoutMs ?? 60_000 + options.durationSeconds * 100,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.ffmpegPath ? { binary: options.ffmpegPath } : {}),
  });
  const names = (await readdir(options.directory))
    .filter((name) => /^chunk-\d{4}\.ogg$/.test(name))
    .sort();
  const chunks: AudioChunk[] = [];
  for (const name of names) {
    const path = join(options.directory, name);
    const { size } = await stat(path);
    if (size === 0) continue;
    if (size > options.maxBytes) {
      throw new BotwireError('BOTWIRE_TRANSCRIPTION_TOO_LARGE', {
        message: `A chunk of the audio has ${size} bytes, over the transcriber's ${options.maxBytes}.`,
        hint: 'Give the transcriber a larger maxBytes, or lower chunkSeconds in the skill config.',
      });
    }
    const index = chunks.length;
    chunks.push({
      index,
      startSeconds: index * plan.chunkSeconds,
      path,
      fileName: `chunk-${String(index + 1).padStart(4, '0')}.ogg`,
      mimeType: 'audio/ogg',
      bytes: size,
      read: async () => new Uint8Array(await readFile(path)),
    });
  }
  if (chunks.length === 0) {
    throw new BotwireError('BOTWIRE_TRANSCRIPTION_FAILED', {
      message: 'ffmpeg produced no audio from the file.',
    });
  }
  return chunks;
}

/**
 * Runs `task` with a new private folder (mode 0700, under the system's temporary folder) and
 * removes it with everything in it afterwards, whether `task` succeeded or not.
 *
 * @example
 * const text = await withPrivateDirectory((directory) => work(directory));
 */
export async function withPrivateDirectory<T>(task: (directory: string) => Promise<T>): Promise<T> {
  // mkdtemp creates the folder with mode 0700: other local users cannot read the audio.
  const directory = await mkdtemp(join(tmpdir(), 'botwire-audio-'));
  try {
    return await task(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
