import { describe, expect, it } from 'vitest';
import { type CompiledPattern, patternsForMessage, planForPattern } from './rules-planner';

const pattern = (tool: string, match: string, locale?: string): CompiledPattern => ({
  skill: 'test',
  tool,
  expression: new RegExp(match, 'iu'),
  ...(locale ? { locale } : {}),
  fixed: {},
});

const weather = [
  pattern('weather_ru', '^(?:какая\\s+)?погода\\s+в\\s+(?<city>[^?]+)\\??$', 'ru'),
  pattern('weather_en', '^(?:what is the\\s+)?weather\\s+in\\s+(?<city>[^?]+)\\??$', 'en'),
  pattern('weather_de', '^wie\\s+ist\\s+das\\s+wetter\\s+in\\s+(?<city>[^?]+)\\??$', 'de'),
];

const toolFor = (text: string, locale: string) =>
  planForPattern(weather, text, locale)?.steps[0]?.tool;

describe('planForPattern: by the language of the message', () => {
  it('runs an English pattern for a Russian-speaking user who writes English', () => {
    const plan = planForPattern(weather, 'what is the weather in Paris?', 'ru');
    expect(plan?.steps[0]).toMatchObject({ tool: 'weather_en', arguments: { city: 'Paris' } });
  });

  it('runs a Russian pattern for an English-speaking user who writes Russian', () => {
    expect(toolFor('какая погода в Москве?', 'en')).toBe('weather_ru');
  });

  it('runs a German pattern for German users and for German text in Latin letters', () => {
    expect(toolFor('Wie ist das Wetter in Berlin?', 'de')).toBe('weather_de');
    expect(toolFor('wie ist das Wetter in Bern', 'en')).toBe('weather_de');
    expect(toolFor('wie ist das Wetter in Wien', 'de-AT')).toBe('weather_de');
  });

  it('matches nothing when no pattern fits', () => {
    expect(planForPattern(weather, 'tell me a joke', 'en')).toBeUndefined();
    expect(planForPattern(weather, '   ', 'en')).toBeUndefined();
  });
});

describe('patternsForMessage', () => {
  const anything = [
    pattern('any_ru', '^(?<text>.+)$', 'ru'),
    pattern('any_de', '^(?<text>.+)$', 'de'),
    pattern('any', '^(?<text>.+)$'),
  ];
  const tools = (text: string, locale: string) =>
    patternsForMessage(anything, text, locale).map((each) => each.tool);

  it('does not try a Cyrillic pattern on Latin text, nor a Latin one on Cyrillic text', () => {
    expect(tools('hello', 'en')).toEqual(['any', 'any_de']);
    expect(tools('привет', 'en')).toEqual(['any', 'any_ru']);
  });

  it("puts the user's own language first and still tries it on text of no letters", () => {
    expect(tools('hallo', 'de')).toEqual(['any_de', 'any']);
    expect(tools('12:30', 'ru')).toEqual(['any_ru', 'any']);
    expect(tools('12:30', 'en')).toEqual(['any']);
  });
});
