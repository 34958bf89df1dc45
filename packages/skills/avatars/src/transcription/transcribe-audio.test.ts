import { readFileSync } from 'node:fs';
import {
  type Adapter,
  type Bot,
  CreditLedger,
  createBot,
  defineSkill,
  type SkillManifest,
  silentLogger,
  type ToolMessage,
} from '@botwire/core';
import { type TestAdapter, testAdapter } from '@botwire/core/testing';
import { openaiTranscriber } from '@botwire/model-openai';
import { type OpenAiPeer, startOpenAiPeer, transcriptKey } from '@botwire/model-openai/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dominantHertz, makeTones } from './testing/make-audio';
import { transcribeAudio } from './transcribe-audio';

const manifest = JSON.parse(
  readFileSync(new URL('../../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;
// The skill's other tools (credits, ...) are stubs here: only transcribe_audio is under test.
const definition = defineSkill({
  tools: {
    ...Object.fromEntries(manifest.tools.map((tool) => [tool.name, async () => ({})])),
    transcribe_audio: transcribeAudio,
  },
});

const running: { bot: Bot; peer?: OpenAiPeer }[] = [];
afterEach(async () => {
  for (const { bot, peer } of running.splice(0)) {
    await bot.stop();
    await peer?.close();
  }
});

/** Counts the downloads of every file the users send (the test adapter's files are wrapped). */
function countingDownloads(adapter: Adapter) {
  const counter = { downloads: 0 };
  const start = adapter.start.bind(adapter);
  adapter.start = (host) =>
    start({
      ...host,
      receive: (message) =>
        host.receive({
          ...message,
          attachments: message.attachments.map((attachment) => ({
            ...attachment,
            ...(attachment.download
              ? {
                  download: (signal?: AbortSignal) => {
                    counter.downloads += 1;
                    return attachment.download!(signal);
                  },
                }
              : {}),
          })),
        }),
    });
  return counter;
}

async function startBot(
  options: { config?: Record<string, unknown>; transcriber?: false; maxBytes?: number } = {},
) {
  const peer = options.transcriber === false ? undefined : await startOpenAiPeer();
  const test: TestAdapter = testAdapter();
  const counter = countingDownloads(test.adapter);
  const bot = createBot({
    config: {
      storage: 'memory',
      access: 'open',
      http: false,
      skills: [
        {
          use: { manifest, definition },
          permissions: ['credits'],
          config: options.config ?? {},
        },
      ],
      ...(peer
        ? {
            transcriber: openaiTranscriber({
              apiKey: 'test',
              baseURL: peer.baseURL,
              env: {},
              ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
            }),
          }
        : {}),
    },
    adapters: [test.adapter],
    log: silentLogger,
    env: {},
    terminal: { write: () => undefined },
  });
  running.push({ bot, ...(peer ? { peer } : {}) });
  await bot.start();
  const ledger = new CreditLedger(bot.storage.kv);
  const user = await bot.storage.users.resolve({ platform: 'test', platformId: 'user-1' });
  const grant = (amount: number) =>
    ledger.grant({ userId: user.id, amount, operation: 'test', key: `grant-${amount}` });
  return { bot, peer, test, counter, ledger, user, grant };
}

let voice: Uint8Array;
beforeAll(() => {
  voice = makeTones({ hertz: [440], secondsEach: 3, format: 'ogg', sampleRate: 16_000 });
});

const pdf = new TextEncoder().encode(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

describe('transcribe_audio in a bot', () => {
  it('transcribes a short voice note in one request, sent as it came', async () => {
    const { peer, test } = await startBot();
    peer!.transcripts.set(transcriptKey(voice), 'Привет, это голосовое.');
    const [reply] = await test.sendFile({
      name: 'voice.ogg',
      data: voice,
      mimeType: 'audio/ogg',
      kind: 'voice',
    });
    expect(reply?.text).toBe('Transcript (0:03):\nПривет, это голосовое.');
    expect(peer!.transcriptionRequests).toHaveLength(1);
    expect(peer!.transcriptionRequests[0]).toMatchObject({
      model: 'whisper-1',
      file: { name: 'audio.ogg', type: 'audio/ogg' },
    });
  });

  it('transcribes a 10-minute recording in ten ordered chunks, each heard apart', async () => {
    // A provider taking at most 200 000 bytes a request: at 3 000 bytes a second (with a tenth
    // to spare), chunks of at most 60 s, so ten of them.
    const { peer, test } = await startBot({ maxBytes: 200_000 });
    // Minute n is a tone of 200 + 100·n Hz; the peer "hears" the tone of the chunk it gets.
    const hertz = Array.from({ length: 10 }, (_, minute) => 300 + 100 * minute);
    const lecture = makeTones({ hertz, secondsEach: 60, format: 'wav' });
    peer!.transcribe = (file) => {
      const minute = Math.round(dominantHertz(file.bytes) / 100) - 2;
      return `Minute ${minute}.`;
    };
    const [reply] = await test.sendFile({
      name: 'lecture.wav',
      data: lecture,
      mimeType: 'audio/wav',
      kind: 'audio',
    });
    const expected = hertz.map((_, index) => `Minute ${index + 1}.`).join(' ');
    expect(reply?.text).toBe(`Transcript (10:00, 10 parts):\n${expected}`);
    const requests = peer!.transcriptionRequests;
    expect(requests).toHaveLength(10);
    expect(new Set(requests.map((request) => request.file.sha256)).size).toBe(10);
    expect(requests.map((request) => request.file.name)).toEqual(
      hertz.map((_, index) => `chunk-${String(index + 1).padStart(4, '0')}.ogg`),
    );
    // Each chunk after the first is sent with the end of the text before it.
    expect(requests.map((request) => request.prompt)).toEqual([
      undefined,
      ...hertz.slice(0, 9).map((_, index) => `Minute ${index + 1}.`),
    ]);
  }, 60_000);

  it('refuses a PDF sent as a voice message (and a blip), saying why, and takes no credits', async () => {
    const { peer, test, ledger, user, grant } = await startBot({
      config: { prices: { transcriptionPerMinute: 2 } },
    });
    await grant(10);
    const [reply] = await test.sendFile({
      name: 'voice.ogg',
      data: pdf,
      mimeType: 'audio/ogg',
      kind: 'voice',
    });
    expect(reply?.text).toBe(
      'This file is not audio: it is a PDF document. Send a voice message or an audio file.',
    );
    const blip = makeTones({ hertz: [440], secondsEach: 0.05, format: 'wav' });
    const [tooShort] = await test.sendFile({ name: 'blip.wav', data: blip, kind: 'audio' });
    expect(tooShort?.text).toContain('too short to transcribe');
    const [russian] = await test.sendFile(
      { name: 'запись.mp3', data: pdf, mimeType: 'audio/mpeg', kind: 'audio' },
      '',
      { locale: 'ru' },
    );
    expect(russian?.text).toContain('Это не аудио, а PDF-документ.');
    expect(await ledger.balance(user.id)).toBe(10);
    expect(peer!.transcriptionRequests).toHaveLength(0);
  });

  it('refuses a file over maxAudioBytes before downloading it', async () => {
    const { peer, test, counter } = await startBot({ config: { maxAudioBytes: 1024 * 1024 } });
    const [reply] = await test.sendFile({
      name: 'podcast.mp3',
      data: new Uint8Array(16),
      size: 5 * 1024 * 1024,
      mimeType: 'audio/mpeg',
      kind: 'audio',
    });
    expect(reply?.text).toContain('The file is 5 MB; audio may be at most 1 MB.');
    expect(counter.downloads).toBe(0);
    expect(peer!.transcriptionRequests).toHaveLength(0);
    // The same file under the cap is downloaded (and then found not to be audio).
    await test.sendFile({ name: 'podcast.mp3', data: new Uint8Array(16), kind: 'audio' });
    expect(counter.downloads).toBe(1);
  });

  it('charges once per message, even when the tool runs twice for it', async () => {
    const { bot, peer, ledger, user, grant } = await startBot({
      config: { prices: { transcriptionPerMinute: 3 } },
    });
    await grant(10);
    const message: ToolMessage = {
      platform: 'test',
      platformMessageId: 'voice-1',
      text: '',
      attachments: [
        {
          kind: 'voice',
          name: 'voice.ogg',
          mimeType: 'audio/ogg',
          size: voice.byteLength,
          download: async () => voice,
        },
      ],
      sentAt: new Date(),
    };
    const first = (await bot.callTool('transcribe_audio', {}, { user, message })) as {
      text: string;
      data: { credits: number };
    };
    expect(first.text).toMatch(/^Transcript \(0:03, 3 credits\):/);
    const second = (await bot.callTool('transcribe_audio', {}, { user, message })) as {
      data: { credits: number };
    };
    expect(second.data.credits).toBe(0);
    expect(await ledger.balance(user.id)).toBe(7);
    expect(peer!.transcriptionRequests).toHaveLength(2);
    const charges = (await ledger.history(user.id)).filter((entry) => entry.kind === 'charge');
    expect(charges).toEqual([
      expect.objectContaining({ amount: -3, key: 'transcribe:test:voice-1' }),
    ]);
  });

  it('refuses when credits are short (nothing sent) and refunds when the provider fails', async () => {
    const { peer, test, ledger, user, grant } = await startBot({
      config: { prices: { transcriptionPerMinute: 5 } },
    });
    const voiceNote = {
      name: 'voice.ogg',
      data: voice,
      mimeType: 'audio/ogg',
      kind: 'voice' as const,
    };
    const [short] = await test.sendFile(voiceNote);
    expect(short?.text).toBe(
      'Transcribing 0:03 costs 5 credits; your balance is 0. Top up with /balance and send it again.',
    );
    expect(peer!.transcriptionRequests).toHaveLength(0);

    await grant(20);
    // A 400 is not retried by the client: the one request fails.
    peer!.pushFor('transcriptions', { status: 400, error: 'Invalid file format.' });
    const [failed] = await test.sendFile(voiceNote);
    expect(failed?.text).toContain('transcribe_audio');
    expect(failed?.text).toContain('Invalid file format.');
    expect(peer!.transcriptionRequests).toHaveLength(1);
    expect(await ledger.balance(user.id)).toBe(20);
    const kinds = (await ledger.history(user.id)).map((entry) => entry.kind);
    expect(kinds).toEqual(['refund', 'charge', 'grant']);
  });

  it('says clearly when the bot has no transcriber', async () => {
    const { test, counter } = await startBot({ transcriber: false });
    const [reply] = await test.sendFile({
      name: 'voice.ogg',
      data: voice,
      mimeType: 'audio/ogg',
      kind: 'voice',
    });
    expect(reply?.text).toContain('Transcription is not set up on this bot');
    expect(counter.downloads).toBe(0);
  });
});
