/** A pack of credits sold for Telegram Stars. */
export interface CreditPack {
  credits: number;
  stars: number;
}

/** The skill's config (`skills: [{ use: '@botwire/skill-avatars', config: { ... } }]`). */
export interface StudioConfig {
  /** Credits each paid operation costs; 0 makes it free. */
  prices: {
    /** One generation (all pictures of one request). Default 5. */
    generation: number;
    /** Training one personal avatar. Default 50. */
    training: number;
    /** Each started minute of transcribed audio. Default 0 (free). */
    transcriptionPerMinute: number;
  };
  /** What `/topup` sells. Default: 100 credits for 50 stars, 500 for 200. */
  packs: CreditPack[];
}

const defaults: StudioConfig = {
  prices: { generation: 5, training: 50, transcriptionPerMinute: 0 },
  packs: [
    { credits: 100, stars: 50 },
    { credits: 500, stars: 200 },
  ],
};

/** The skill's config with its defaults filled in. */
export function studioConfig(config: Record<string, unknown>): StudioConfig {
  const prices = (config.prices ?? {}) as Partial<StudioConfig['prices']>;
  const packs = Array.isArray(config.packs) ? (config.packs as CreditPack[]) : defaults.packs;
  return {
    prices: { ...defaults.prices, ...prices },
    packs: packs.filter(
      (pack) =>
        Number.isSafeInteger(pack.credits) &&
        pack.credits > 0 &&
        Number.isSafeInteger(pack.stars) &&
        pack.stars > 0,
    ),
  };
}
