import { defaultPhotoRules, type PhotoRules } from '../photos/check-photo';

/** Options of {@link avatarStudio}. */
export interface AvatarStudioOptions {
  /**
   * The address the bot's HTTP server is reached at from the internet
   * (`https://bot.example.com`), so the image provider can call its webhook when a training
   * ends. Default: `BOTWIRE_PUBLIC_URL`. Without one the studio polls the provider only.
   */
  publicUrl?: string;
  /** How often a training job's status is polled, in seconds. Default 30 (60 with a webhook). */
  pollSeconds?: number;
  /** The fewest photos an avatar is trained on. Default 10. */
  minPhotos?: number;
  /** The most photos an avatar is trained on. Default 20. */
  maxPhotos?: number;
  /** What a photo must be; see {@link PhotoRules}. Default: at most 20 MB, 512 px a side or more. */
  photoRules?: Partial<PhotoRules>;
  /**
   * Credits one training costs. Default: the avatars skill's `prices.training` in the config,
   * else 50.
   */
  trainingPrice?: number;
  /**
   * Credits every user gets once, on their first message (so people can try the studio before
   * paying). Default 0.
   */
  welcomeCredits?: number;
  /** A training that has not ended after this long counts as failed (credits back). Default 180. */
  trainingTimeoutMinutes?: number;
  /** The environment to read BOTWIRE_PUBLIC_URL from. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** {@link AvatarStudioOptions} with the defaults filled in (the price is read at start). */
export interface StudioSettings {
  publicUrl: string | undefined;
  pollMs: number;
  minPhotos: number;
  maxPhotos: number;
  photoRules: PhotoRules;
  trainingPrice: number | undefined;
  trainingTimeoutMs: number;
  welcomeCredits: number;
}

/** Checks the options and fills in the defaults; throws on a value that cannot work. */
export function studioSettings(options: AvatarStudioOptions): StudioSettings {
  const env = options.env ?? process.env;
  const publicUrl = (options.publicUrl ?? env.BOTWIRE_PUBLIC_URL)?.trim().replace(/\/+$/, '');
  if (publicUrl && !/^https?:\/\/[^/\s]+/.test(publicUrl))
    throw new Error(
      `avatarStudio: publicUrl "${publicUrl}" is not an http(s) address such as https://bot.example.com.`,
    );
  const minPhotos = options.minPhotos ?? 10;
  const maxPhotos = options.maxPhotos ?? 20;
  if (!Number.isInteger(minPhotos) || minPhotos < 1 || !Number.isInteger(maxPhotos))
    throw new Error(
      'avatarStudio: minPhotos and maxPhotos are whole numbers, minPhotos at least 1.',
    );
  if (maxPhotos < minPhotos)
    throw new Error(`avatarStudio: maxPhotos (${maxPhotos}) is below minPhotos (${minPhotos}).`);
  const pollSeconds = options.pollSeconds ?? (publicUrl ? 60 : 30);
  if (!(pollSeconds > 0)) throw new Error('avatarStudio: pollSeconds must be above 0.');
  const price = options.trainingPrice;
  if (price !== undefined && (!Number.isSafeInteger(price) || price < 0))
    throw new Error('avatarStudio: trainingPrice is a whole number of credits, 0 or more.');
  const welcomeCredits = options.welcomeCredits ?? 0;
  if (!Number.isSafeInteger(welcomeCredits) || welcomeCredits < 0)
    throw new Error('avatarStudio: welcomeCredits is a whole number of credits, 0 or more.');
  return {
    welcomeCredits,
    publicUrl: publicUrl || undefined,
    pollMs: Math.round(pollSeconds * 1000),
    minPhotos,
    maxPhotos,
    photoRules: { ...defaultPhotoRules, ...options.photoRules },
    trainingPrice: price,
    trainingTimeoutMs: (options.trainingTimeoutMinutes ?? 180) * 60_000,
  };
}
