import { readPngSize } from '@botwire/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OpenAiPeer, startOpenAiPeer, transcriptKey } from './index';
import { audioDuration } from './openai-transcriptions-route';

let peer: OpenAiPeer;
beforeEach(async () => {
  peer = await startOpenAiPeer({ apiKey: 'k' });
});
afterEach(() => peer.close());

const headers = { authorization: 'Bearer k' };

interface ImagesBody {
  error?: Record<string, unknown>;
  data: { b64_json?: string; url?: string; revised_prompt?: string }[];
  [field: string]: unknown;
}

async function images(body: unknown) {
  const response = await fetch(`${peer.baseURL}/images/generations`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as ImagesBody };
}

async function transcribe(fields: Record<string, string | Blob>, name = 'voice.ogg') {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Blob) form.set(key, value, name);
    else form.set(key, value);
  }
  const response = await fetch(`${peer.baseURL}/audio/transcriptions`, {
    method: 'POST',
    headers,
    body: form,
  });
  return { status: response.status, text: await response.text() };
}

describe('OpenAI peer: images', () => {
  it('checks requests per model, as the API does', async () => {
    const cases: [unknown, string, string][] = [
      [{ model: 'gpt-image-1' }, 'prompt', 'missing_required_parameter'],
      [
        { model: 'gpt-image-1', prompt: 'x', response_format: 'b64_json' },
        'response_format',
        'unknown_parameter',
      ],
      [{ model: 'dall-e-3', prompt: 'x', n: 2 }, 'n', 'integer_above_max_value'],
      [{ model: 'dall-e-3', prompt: 'x', size: '1536x1024' }, 'size', 'invalid_value'],
      [{ model: 'dall-e-2', prompt: 'x'.repeat(1001) }, 'prompt', 'string_above_max_length'],
      [{ model: 'gpt-image-1', prompt: 'x', colour: 'red' }, 'colour', 'unknown_parameter'],
      [
        { model: 'dall-e-3', prompt: 'x', output_format: 'png' },
        'output_format',
        'unknown_parameter',
      ],
      [{ model: 'gpt-4o', prompt: 'x' }, 'model', 'invalid_value'],
    ];
    for (const [body, param, code] of cases) {
      const answer = await images(body);
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param, code });
    }
    expect(peer.imageRequests).toHaveLength(0);
  });

  it('answers GPT image models in base64 with usage, and serves DALL·E picture URLs', async () => {
    const gpt = await images({ model: 'gpt-image-1', prompt: 'a fox', n: 2, size: '1024x1536' });
    expect(gpt.status).toBe(200);
    expect(gpt.body).toMatchObject({
      size: '1024x1536',
      output_format: 'png',
      usage: { total_tokens: expect.any(Number) },
    });
    const first = Buffer.from(gpt.body.data[0]!.b64_json!, 'base64');
    expect(readPngSize(first)).toEqual({ width: 1024, height: 1536 });
    expect(gpt.body.data[0]!.b64_json).not.toBe(gpt.body.data[1]!.b64_json);

    const dallE = await images({ model: 'dall-e-2', prompt: 'a fox', size: '256x256' });
    expect(dallE.body.data[0]!.b64_json).toBeUndefined();
    const picture = await fetch(dallE.body.data[0]!.url!);
    expect(picture.headers.get('content-type')).toBe('image/png');
    expect(readPngSize(new Uint8Array(await picture.arrayBuffer()))).toEqual({
      width: 256,
      height: 256,
    });

    const three = await images({ model: 'dall-e-3', prompt: 'a fox', response_format: 'b64_json' });
    expect(three.body.data[0]!.revised_prompt).toBe('a fox');
  });
});

describe('OpenAI peer: transcriptions', () => {
  const audio = new Blob([Uint8Array.of(1, 2, 3, 4)], { type: 'audio/ogg' });

  it('answers in the asked format, with the registered text', async () => {
    peer.transcripts.set(transcriptKey(Uint8Array.of(1, 2, 3, 4)), 'Good morning.');
    expect(JSON.parse((await transcribe({ file: audio, model: 'whisper-1' })).text)).toMatchObject({
      text: 'Good morning.',
    });
    expect(
      (await transcribe({ file: audio, model: 'whisper-1', response_format: 'text' })).text,
    ).toBe('Good morning.\n');
    expect(
      (await transcribe({ file: audio, model: 'whisper-1', response_format: 'srt' })).text,
    ).toMatch(/^1\n00:00:00,000 --> 00:00:00,000\nGood morning\.\n/);
    const verbose = JSON.parse(
      (await transcribe({ file: audio, model: 'whisper-1', response_format: 'verbose_json' })).text,
    );
    expect(verbose).toMatchObject({
      task: 'transcribe',
      language: 'english',
      text: 'Good morning.',
      segments: [{ id: 0 }],
    });
    const german = JSON.parse(
      (
        await transcribe({
          file: audio,
          model: 'whisper-1',
          response_format: 'verbose_json',
          language: 'de',
        })
      ).text,
    );
    expect(german.language).toBe('german');
  });

  it('refuses what the API refuses', async () => {
    const cases: [Record<string, string | Blob>, string, RegExp][] = [
      [{ model: 'whisper-1' }, 'voice.ogg', /Missing required parameter: 'file'/],
      [{ file: audio }, 'voice.ogg', /Missing required parameter: 'model'/],
      [{ file: audio, model: 'gpt-4o-mini' }, 'voice.ogg', /Invalid value: 'gpt-4o-mini'/],
      [{ file: audio, model: 'whisper-1' }, 'voice.txt', /Invalid file format/],
      [{ file: new Blob([]), model: 'whisper-1' }, 'voice.ogg', /too short/],
      [{ file: audio, model: 'whisper-1', language: 'english' }, 'voice.ogg', /ISO-639-1/],
      [
        { file: audio, model: 'gpt-4o-transcribe', response_format: 'verbose_json' },
        'voice.ogg',
        /not compatible/,
      ],
    ];
    for (const [fields, name, message] of cases) {
      const answer = await transcribe(fields, name);
      expect(answer.status, String(message)).toBe(400);
      expect(JSON.parse(answer.text).error.message).toMatch(message);
    }
    const json = await fetch(`${peer.baseURL}/audio/transcriptions`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
    const anonymous = await fetch(`${peer.baseURL}/audio/transcriptions`, {
      method: 'POST',
      body: new FormData(),
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('audioDuration', () => {
  it('reads an Ogg Opus file from its last granule position', () => {
    const page = (granule: bigint, payload: string) => {
      const bytes = new Uint8Array(27 + payload.length);
      bytes.set(Buffer.from('OggS'), 0);
      new DataView(bytes.buffer).setBigUint64(6, granule, true);
      bytes.set(Buffer.from(payload), 27);
      return bytes;
    };
    const ogg = Buffer.concat([
      page(0n, 'OpusHead....'),
      page(48_000n, 'data'),
      page(144_000n, 'data'),
    ]);
    expect(audioDuration(ogg)).toBe(3);
    expect(audioDuration(new Uint8Array(32_000))).toBe(2);
  });
});
