/** A style preset: what it adds to the prompt, and its names in both languages. */
export interface StylePreset {
  id: string;
  names: { en: string; ru: string };
  /** Added after the user's prompt. */
  suffix: string;
}

/** The style presets of `/generate`. */
export const stylePresets: readonly StylePreset[] = [
  {
    id: 'portrait',
    names: { en: 'portrait', ru: 'портрет' },
    suffix: 'studio portrait photo, soft light, 85mm lens, sharp eyes, natural skin',
  },
  {
    id: 'cinematic',
    names: { en: 'cinematic', ru: 'кино' },
    suffix: 'cinematic film still, dramatic lighting, shallow depth of field, 35mm film grain',
  },
  {
    id: 'anime',
    names: { en: 'anime', ru: 'аниме' },
    suffix: 'anime illustration, clean line art, vibrant colors, detailed background',
  },
  {
    id: 'watercolor',
    names: { en: 'watercolor', ru: 'акварель' },
    suffix: 'watercolor painting, soft washes, paper texture, gentle colors',
  },
  {
    id: 'business',
    names: { en: 'business', ru: 'деловой' },
    suffix: 'professional business headshot, neutral background, suit, confident look',
  },
  {
    id: 'cyberpunk',
    names: { en: 'cyberpunk', ru: 'киберпанк' },
    suffix: 'cyberpunk city at night, neon lights, rain reflections, futuristic',
  },
];

/** The preset a name stands for, in either language and any case; undefined when none. */
export function findStyle(name: string): StylePreset | undefined {
  const wanted = name.trim().toLowerCase();
  return stylePresets.find(
    (preset) => preset.id === wanted || preset.names.en === wanted || preset.names.ru === wanted,
  );
}

/**
 * Splits `/generate anime: a cat on a roof` into the style and the prompt. A single leading
 * word before `:` is taken as the style, known or not (`sketch: a cat` asks for a style
 * "sketch", which the caller refuses with the list), so a mistyped style is never drawn as
 * part of the picture.
 */
export function splitStyle(text: string): { style?: string; prompt: string } {
  const match = /^\s*([\p{L}-]{2,20})\s*:\s*([\s\S]*)$/u.exec(text);
  if (match) return { style: match[1]!, prompt: match[2]!.trim() };
  return { prompt: text.trim() };
}
