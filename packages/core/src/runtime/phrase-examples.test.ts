import { describe, expect, it } from 'vitest';
import type { SkillManifest } from '../skills/skill-manifest';
import { phraseExamples, samplePhrases } from './phrase-examples';

const skill = (name: string, patterns: SkillManifest['patterns']): SkillManifest => ({
  name,
  version: '1.0.0',
  description: name,
  tools: [],
  patterns,
});

const search = skill('search', [
  { tool: 'search', match: '^search (?<q>.+)$', locale: 'en', example: 'search cats' },
  { tool: 'search', match: '^look up (?<q>.+)$', locale: 'en', example: 'look up dogs' },
  { tool: 'search', match: '^найди (?<q>.+)$', locale: 'ru', example: 'найди котиков' },
  { tool: 'search', match: '^(?<q>https?://\\S+)$', example: 'https://example.org' },
]);
const weather = skill('weather', [
  { tool: 'weather', match: '^weather in (?<city>.+)$', locale: 'en', example: 'weather in Oslo' },
  { tool: 'weather', match: '^wetter in (?<city>.+)$', locale: 'de', example: 'Wetter in Bern' },
]);
const quiet = skill('quiet', [{ tool: 'quiet', match: '^hush$', locale: 'en' }]);

describe('phraseExamples', () => {
  it("takes each skill's examples in the user's language, else in English, plus those of no language", () => {
    expect(phraseExamples([search, weather, quiet], 'ru')).toEqual([
      { skill: 'search', examples: ['найди котиков', 'https://example.org'] },
      { skill: 'weather', examples: ['weather in Oslo'] },
    ]);
    expect(phraseExamples([search, weather], 'de-CH')).toEqual([
      { skill: 'search', examples: ['search cats', 'look up dogs', 'https://example.org'] },
      { skill: 'weather', examples: ['Wetter in Bern'] },
    ]);
  });
});

describe('samplePhrases', () => {
  it("takes every skill's first phrase before any skill's second, up to the count", () => {
    const phrases = phraseExamples([search, weather], 'en');
    expect(samplePhrases(phrases, 3)).toEqual(['search cats', 'weather in Oslo', 'look up dogs']);
    expect(samplePhrases(phrases, 10)).toHaveLength(4);
    expect(samplePhrases([], 3)).toEqual([]);
  });
});
