import { isBotwireError } from '@botwire/core';
import { runMediaTool } from './run-media-tool';

/** What ffprobe found in a file. */
export type AudioProbe =
  | {
      ok: true;
      /** The container as ffprobe names it (`ogg`, `mov,mp4,m4a,3gp,3g2,mj2`, `wav`, ...). */
      format: string;
      /** The codec of the first audio stream (`opus`, `mp3`, `aac`, `pcm_s16le`, ...). */
      codec: string;
      /** The length in seconds: from the container, else measured by decoding. */
      durationSeconds: number;
    }
  | {
      ok: false;
      /**
       * `unreadable`: not a media file ffmpeg knows; `no-audio`: media without sound (a
       * picture, a silent video).
       */
      reason: 'unreadable' | 'no-audio';
      /** What the bytes look like, when their signature says (`pdf`), for the reply. */
      looksLike?: FileKind;
    };

/** Options of {@link probeAudio}. */
export interface ProbeAudioOptions {
  signal?: AbortSignal;
  /** Per ffprobe/ffmpeg run. Default 60 s. */
  timeoutMs?: number;
  ffprobePath?: string;
  ffmpegPath?: string;
}

interface FfprobeJson {
  streams?: { codec_type?: string; codec_name?: string; duration?: string }[];
  format?: { format_name?: string; duration?: string };
}

/**
 * Reads a file with ffprobe: whether it has an audio stream, its codec and its length. A file
 * ffprobe cannot read (a PDF renamed `.ogg`) or one without sound is `ok: false` with the reason
 * and, when `head` (the file's first bytes) tells, what it looks like. When the container does not say how long
 * it is (a browser's WebM), the audio is decoded once to measure it.
 *
 * @example
 * const probe = await probeAudio(inputPath, bytes.subarray(0, 16), { signal });
 * if (!probe.ok) return refuse(probe.reason);
 */
export async function probeAudio(
  path: string,
  head: Uint8Array,
  options: ProbeAudioOptions = {},
): Promise<AudioProbe> {
  const run = {
    timeoutMs: options.timeoutMs ?? 60_000,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const looksLike = fileSignature(head);
  let probed: FfprobeJson;
  try {
    const { stdout } = await runMediaTool(
      'ffprobe',
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '--', path],
      { ...run, ...(options.ffprobePath ? { binary: options.ffprobePath } : {}) },
    );
    probed = JSON.parse(stdout) as FfprobeJson;
  } catch (error) {
    // ffprobe exits non-zero on data it cannot read; a missing ffprobe or a timeout is not that.
    if (isBotwireError(error) && typeof error.details.exitCode === 'number') {
      return { ok: false, reason: 'unreadable', ...(looksLike ? { looksLike } : {}) };
    }
    throw error;
  }
  const audio = probed.streams?.find((stream) => stream.codec_type === 'audio');
  if (!audio) return { ok: false, reason: 'no-audio', ...(looksLike ? { looksLike } : {}) };
  const stated = seconds(probed.format?.duration) ?? seconds(audio.duration);
  const durationSeconds =
    stated ??
    (await measureDuration(path, {
      ...run,
      ...(options.ffmpegPath ? { binary: options.ffmpegPath } : {}),
    }));
  return {
    ok: true,
    format: probed.format?.format_name ?? 'unknown',
    codec: audio.codec_name ?? 'unknown',
    durationSeconds,
  };
}

function seconds(value: string | undefined): number | undefined {
  const parsed = Number(value);
  return value !== undefined && Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
}

/** Decodes the first audio stream to nowhere and reads the last `time=` ffmpeg reports. */
async function measureDuration(
  path: string,
  options: { timeoutMs: number; signal?: AbortSignal; binary?: string },
): Promise<number> {
  const { stderr } = await runMediaTool(
    'ffmpeg',
    ['-hide_banner', '-nostdin', '-i', path, '-map', '0:a:0', '-f', 'null', '-'],
    options,
  );
  const stamps = [...stderr.matchAll(/time=(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/g)];
  const last = stamps.at(-1);
  if (!last) return 0;
  return Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3]);
}

/** What a file's first bytes say it is, when it is a common kind that is not audio. */
export type FileKind = 'pdf' | 'zip' | 'png' | 'jpeg' | 'gif' | 'program';

const signatures: [bytes: number[], kind: FileKind][] = [
  [[0x25, 0x50, 0x44, 0x46], 'pdf'],
  [[0x50, 0x4b, 0x03, 0x04], 'zip'],
  [[0x89, 0x50, 0x4e, 0x47], 'png'],
  [[0xff, 0xd8, 0xff], 'jpeg'],
  [[0x47, 0x49, 0x46, 0x38], 'gif'],
  [[0x7f, 0x45, 0x4c, 0x46], 'program'],
  [[0x4d, 0x5a], 'program'],
];

/** What a file's first bytes say it is (`pdf` for `%PDF`), for a clearer refusal. */
export function fileSignature(head: Uint8Array): FileKind | undefined {
  for (const [bytes, kind] of signatures) {
    if (bytes.every((byte, index) => head[index] === byte)) return kind;
  }
  return undefined;
}
