import { runTranscriberContract } from '@botwire/core/contract-suites';
import { afterEach, describe, expect, it } from 'vitest';
import { openaiTranscriber } from './openai-transcriber';
import { type OpenAiPeer, startOpenAiPeer, transcriptKey } from './testing';

const apiKey = 'sk-test-secret-key-1234';

/** A mono 16-bit PCM WAV file of `seconds` of a tone at `hertz`, sampled at 16 kHz. */
function wav(seconds: number, hertz = 440): Uint8Array {
  const rate = 16_000;
  const samples = Math.round(seconds * rate);
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => bytes.set(Buffer.from(text, 'ascii'), offset);
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, samples * 2, true);
  for (let index = 0; index < samples; index++) {
    view.setInt16(
      44 + index * 2,
      Math.round(8000 * Math.sin((2 * Math.PI * hertz * index) / rate)),
      true,
    );
  }
  return bytes;
}

const sample = wav(1);

runTranscriberContract(
  'openai whisper-1',
  async () => {
    const peer = await startOpenAiPeer({ apiKey });
    peer.transcripts.set(transcriptKey(sample), 'Hello from the voice message.');
    return {
      transcriber: openaiTranscriber({ baseURL: peer.baseURL, apiKey }),
      requestCount: () => peer.requests.length,
      close: () => peer.close(),
    };
  },
  {
    sample: {
      audio: sample,
      mimeType: 'audio/wav',
      fileName: 'voice.wav',
      expectedText: /hello from the voice message/i,
    },
  },
);

describe('openaiTranscriber', () => {
  let peer: OpenAiPeer;
  afterEach(() => peer?.close());

  it('sends whisper-1 the file, language and prompt, and reads verbose_json', async () => {
    peer = await startOpenAiPeer({ apiKey });
    peer.transcripts.set(transcriptKey(sample), ' Привет, это голосовое. ');
    const transcriber = openaiTranscriber({
      env: { OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: peer.baseURL },
    });
    expect(transcriber.maxBytes).toBe(26_214_400);
    const result = await transcriber.transcribe({
      audio: sample,
      mimeType: 'audio/wav',
      fileName: 'voice.wav',
      language: 'ru',
      prompt: 'Before that: Anna.',
    });
    expect(result).toEqual({ text: 'Привет, это голосовое.', language: 'ru', durationSeconds: 1 });
    const [request] = peer.transcriptionRequests;
    expect(request).toMatchObject({
      model: 'whisper-1',
      language: 'ru',
      prompt: 'Before that: Anna.',
      responseFormat: 'verbose_json',
      file: { name: 'voice.wav', type: 'audio/wav', sha256: transcriptKey(sample) },
    });
    expect(Buffer.from(request!.file.bytes).equals(Buffer.from(sample))).toBe(true);
    expect(peer.requests[0]!.body).toMatchObject({ file: { size: sample.byteLength } });
  });

  it('asks gpt-4o-transcribe for json, which has the text alone', async () => {
    peer = await startOpenAiPeer({ apiKey });
    const transcriber = openaiTranscriber({
      model: 'gpt-4o-transcribe',
      baseURL: peer.baseURL,
      apiKey,
    });
    const result = await transcriber.transcribe({
      audio: sample,
      mimeType: 'audio/wav',
      fileName: 'a.wav',
    });
    expect(result).toEqual({ text: `[audio of ${sample.byteLength} bytes]` });
    expect(peer.transcriptionRequests[0]).toMatchObject({
      model: 'gpt-4o-transcribe',
      responseFormat: 'json',
    });
  });

  it('gives each chunk of a long recording its own text, in order', async () => {
    peer = await startOpenAiPeer({ apiKey });
    const chunks = [wav(2, 300), wav(2, 400), wav(1.5, 500)];
    for (const [index, chunk] of chunks.entries()) {
      peer.transcripts.set(transcriptKey(chunk), `Part ${index + 1}.`);
    }
    peer.transcribe = (file) => (file.name.startsWith('marker') ? 'From the callback.' : undefined);
    const transcriber = openaiTranscriber({ baseURL: peer.baseURL, apiKey });
    const texts: string[] = [];
    let previous = '';
    for (const [index, chunk] of chunks.entries()) {
      const { text, durationSeconds } = await transcriber.transcribe({
        audio: chunk,
        mimeType: 'audio/wav',
        fileName: `chunk-${index}.wav`,
        ...(previous ? { prompt: previous } : {}),
      });
      texts.push(text);
      previous = text;
      expect(durationSeconds).toBe(index === 2 ? 1.5 : 2);
    }
    expect(texts).toEqual(['Part 1.', 'Part 2.', 'Part 3.']);
    expect(peer.transcriptionRequests.map((request) => request.prompt)).toEqual([
      undefined,
      'Part 1.',
      'Part 2.',
    ]);
    const marked = await transcriber.transcribe({
      audio: wav(0.5),
      mimeType: 'audio/wav',
      fileName: 'marker.wav',
    });
    expect(marked.text).toBe('From the callback.');
  });

  it('turns provider errors into BOTWIRE_TRANSCRIPTION_FAILED with the message and no key', async () => {
    peer = await startOpenAiPeer({ apiKey });
    const wrongKey = 'sk-wrong-secret-5678';
    const denied = await openaiTranscriber({ baseURL: peer.baseURL, apiKey: wrongKey })
      .transcribe({ audio: sample, mimeType: 'audio/wav', fileName: 'v.wav' })
      .catch((error: unknown) => error);
    expect(denied).toMatchObject({
      code: 'BOTWIRE_TRANSCRIPTION_FAILED',
      details: { status: 401 },
    });
    expect(JSON.stringify(denied) + String(denied)).not.toContain(wrongKey);

    const transcriber = openaiTranscriber({ baseURL: peer.baseURL, apiKey });
    await expect(
      transcriber.transcribe({ audio: sample, mimeType: 'audio/x-foo', fileName: 'voice.foo' }),
    ).rejects.toMatchObject({
      code: 'BOTWIRE_TRANSCRIPTION_FAILED',
      message: expect.stringMatching(/Invalid file format/),
      details: { status: 400 },
    });
    await expect(
      openaiTranscriber({ model: 'gpt-4o', baseURL: peer.baseURL, apiKey }).transcribe({
        audio: sample,
        mimeType: 'audio/wav',
        fileName: 'v.wav',
      }),
    ).rejects.toMatchObject({
      code: 'BOTWIRE_TRANSCRIPTION_FAILED',
      details: { status: 400, providerCode: 'invalid_value' },
    });
    peer.pushFor('transcriptions', {
      status: 500,
      error: 'The server had an error while processing your request.',
    });
    await expect(
      transcriber.transcribe({ audio: sample, mimeType: 'audio/wav', fileName: 'v.wav' }),
    ).rejects.toMatchObject({ code: 'BOTWIRE_TRANSCRIPTION_FAILED', details: { status: 500 } });
  });

  it('hears the API refuse a file over 25 MB when the driver is told to send one', async () => {
    peer = await startOpenAiPeer({ apiKey });
    const transcriber = openaiTranscriber({ baseURL: peer.baseURL, apiKey, maxBytes: 30_000_000 });
    await expect(
      transcriber.transcribe({
        audio: new Uint8Array(26_214_401),
        mimeType: 'audio/mpeg',
        fileName: 'long.mp3',
      }),
    ).rejects.toMatchObject({
      code: 'BOTWIRE_TRANSCRIPTION_FAILED',
      message: expect.stringMatching(/Maximum content size limit \(26214400\) exceeded/),
      details: { status: 413 },
    });
  });

  it('refuses a file name without an extension before any request', async () => {
    peer = await startOpenAiPeer({ apiKey });
    const transcriber = openaiTranscriber({ baseURL: peer.baseURL, apiKey });
    await expect(
      transcriber.transcribe({ audio: sample, mimeType: 'audio/wav', fileName: 'voice' }),
    ).rejects.toMatchObject({ code: 'BOTWIRE_INVALID_ARGUMENT' });
    expect(peer.requests).toHaveLength(0);
  });
});
