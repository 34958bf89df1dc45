import { isBotwireError } from '@botwire/core';
import { runSpeechSynthesizerContract } from '@botwire/core/contract-suites';
import { afterEach, describe, expect, it } from 'vitest';
import { openaiSpeechSynthesizer } from './openai-speech-synthesizer';
import { type OpenAiPeer, startOpenAiPeer } from './testing';

/**
 * OpenAI's speech API through the real `openai` client, against the local peer (which reads the
 * input aloud as real Ogg Opus with espeak-ng): the shared contract, the request as the API
 * takes it, and the provider's errors as BOTWIRE_SPEECH_FAILED without the key.
 */
const apiKey = 'sk-test-secret-key-5678';

runSpeechSynthesizerContract('openai gpt-4o-mini-tts', async () => {
  const peer = await startOpenAiPeer({ apiKey });
  return {
    speech: openaiSpeechSynthesizer({ baseURL: peer.baseURL, apiKey }),
    requestCount: () => peer.requests.length,
    close: () => peer.close(),
  };
});

describe('openaiSpeechSynthesizer', () => {
  let peer: OpenAiPeer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  it('asks for opus with the voice, speed and instructions the API takes', async () => {
    peer = await startOpenAiPeer({ apiKey });
    const speech = openaiSpeechSynthesizer({
      baseURL: peer.baseURL,
      apiKey,
      voice: 'coral',
      instructions: 'Warm and calm.',
    });
    const spoken = await speech.synthesize({ text: 'Good night, Ann.', speed: 1.25 });
    expect(spoken.mimeType).toBe('audio/ogg');
    expect(peer.speechRequests[0]).toEqual({
      model: 'gpt-4o-mini-tts',
      input: 'Good night, Ann.',
      voice: 'coral',
      responseFormat: 'opus',
      speed: 1.25,
      instructions: 'Warm and calm.',
    });
    const old = openaiSpeechSynthesizer({
      baseURL: peer.baseURL,
      apiKey,
      model: 'tts-1',
      instructions: 'x',
    });
    await old.synthesize({ text: 'Hi', voice: 'nova' });
    expect(peer.speechRequests[1]).toMatchObject({ model: 'tts-1', voice: 'nova' });
    expect(peer.speechRequests[1]?.instructions).toBeUndefined();
  });

  it('turns the provider’s refusal into BOTWIRE_SPEECH_FAILED, without the key', async () => {
    peer = await startOpenAiPeer({ apiKey });
    peer.pushFor('speech', { status: 400, error: 'The input is not allowed here.' });
    const speech = openaiSpeechSynthesizer({ baseURL: peer.baseURL, apiKey });
    const failure = await speech.synthesize({ text: 'Hello' }).catch((error: unknown) => error);
    expect(isBotwireError(failure) && failure.code).toBe('BOTWIRE_SPEECH_FAILED');
    expect(String((failure as Error).message)).toMatch(/not allowed here/);
    expect(JSON.stringify(failure)).not.toContain(apiKey);
    const unknownVoice = await speech
      .synthesize({ text: 'Hello', voice: 'robot' })
      .catch((error: unknown) => error);
    expect(String((unknownVoice as Error).message)).toMatch(/voice/);
  });
});
