import { type Locale, localeChain, normalizeLocale } from '../i18n/translate';
import type { SkillManifest } from '../skills/skill-manifest';

/** A skill's example phrases in one language. */
export interface SkillPhrases {
  skill: string;
  examples: string[];
}

/**
 * The plain-language phrases each skill understands, from its patterns' `example`s, in the
 * user's language: the examples of the first language of {@link localeChain} the skill has
 * examples in (so English when it has none in the user's), plus those of patterns of no
 * language. Skills without examples are left out.
 */
export function phraseExamples(
  manifests: readonly SkillManifest[],
  locale: Locale,
): SkillPhrases[] {
  const chain = localeChain(normalizeLocale(locale));
  const result: SkillPhrases[] = [];
  for (const manifest of manifests) {
    const byLocale = new Map<Locale | undefined, string[]>();
    for (const pattern of manifest.patterns ?? []) {
      if (!pattern.example) continue;
      const key = pattern.locale ? normalizeLocale(pattern.locale) : undefined;
      byLocale.set(key, [...(byLocale.get(key) ?? []), pattern.example]);
    }
    const chosen = chain.find((each) => byLocale.has(each));
    const examples = [
      ...(chosen ? (byLocale.get(chosen) ?? []) : []),
      ...(byLocale.get(undefined) ?? []),
    ];
    if (examples.length) result.push({ skill: manifest.name, examples });
  }
  return result;
}

/** Up to `count` phrases across skills, one skill at a time (each skill's first phrase, then its second, ...). */
export function samplePhrases(phrases: readonly SkillPhrases[], count: number): string[] {
  const sample: string[] = [];
  for (let round = 0; sample.length < count; round++) {
    const row = phrases.map((each) => each.examples[round]).filter((each) => each !== undefined);
    if (row.length === 0) break;
    sample.push(...row.slice(0, count - sample.length));
  }
  return sample;
}
