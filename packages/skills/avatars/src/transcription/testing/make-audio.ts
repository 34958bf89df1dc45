import { spawnSync } from 'node:child_process';

/** Options of {@link makeTones}. */
export interface MakeTonesOptions {
  /** The tone of each step, in hertz, played one after another. */
  hertz: readonly number[];
  /** How long each step lasts, in seconds. */
  secondsEach: number;
  /** Default 8000: low, so long test audio is made fast. */
  sampleRate?: number;
  /** `wav` (16-bit PCM, made at once), `ogg` (Opus, like a voice message) or `mp3`. */
  format: 'wav' | 'ogg' | 'mp3';
}

const encoders = {
  wav: ['-c:a', 'pcm_s16le', '-f', 'wav'],
  ogg: ['-c:a', 'libopus', '-b:a', '16k', '-f', 'ogg'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '32k', '-f', 'mp3'],
};

/**
 * Test audio made with ffmpeg's `sine` source: a tone per step (`hertz: [300, 400]` with
 * `secondsEach: 60` is a minute at 300 Hz, then a minute at 400 Hz), mono.
 *
 * @example
 * const lecture = makeTones({ hertz: [300, 400, 500], secondsEach: 60, format: 'wav' });
 */
export function makeTones(options: MakeTonesOptions): Uint8Array {
  const rate = options.sampleRate ?? 8000;
  const inputs = options.hertz.flatMap((hertz) => [
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${hertz}:duration=${options.secondsEach}:sample_rate=${rate}`,
  ]);
  const labels = options.hertz.map((_, index) => `[${index}:a]`).join('');
  const args = [
    '-hide_banner',
    '-v',
    'error',
    ...inputs,
    '-filter_complex',
    `${labels}concat=n=${options.hertz.length}:v=0:a=1`,
    '-ac',
    '1',
    ...encoders[options.format],
    'pipe:1',
  ];
  const result = spawnSync('ffmpeg', args, { maxBuffer: 512 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(
      `ffmpeg could not make test audio: ${result.stderr?.toString() ?? result.error}`,
    );
  }
  return new Uint8Array(result.stdout);
}

/**
 * The main frequency of a recording's sound, in hertz, from how often the decoded signal
 * crosses zero: what a test peer "hears" in a chunk of {@link makeTones} audio. Synchronous
 * (ffmpeg decodes through a pipe), for `peer.transcribe`.
 *
 * @example
 * peer.transcribe = (file) => `tone ${Math.round(dominantHertz(file.bytes) / 100) * 100}`;
 */
export function dominantHertz(audio: Uint8Array): number {
  const rate = 8000;
  const result = spawnSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-v',
      'error',
      '-i',
      'pipe:0',
      '-ac',
      '1',
      '-ar',
      String(rate),
      '-f',
      's16le',
      'pipe:1',
    ],
    { input: audio, maxBuffer: 512 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    throw new Error(
      `ffmpeg could not decode the audio: ${result.stderr?.toString() ?? result.error}`,
    );
  }
  const pcm = result.stdout;
  const samples = Math.floor(pcm.byteLength / 2);
  let crossings = 0;
  let previous = 0;
  for (let index = 0; index < samples; index++) {
    const value = pcm.readInt16LE(index * 2);
    // A small dead band keeps codec noise around zero from counting as crossings.
    if (Math.abs(value) < 64) continue;
    const sign = Math.sign(value);
    if (previous !== 0 && sign !== previous) crossings += 1;
    previous = sign;
  }
  return samples === 0 ? 0 : crossings / 2 / (samples / rate);
}
