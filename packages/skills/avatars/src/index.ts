import { defineSkill } from '@botwire/core';
import { creditsStrings } from './credits/credits-strings';
import {
  creditsBalance,
  creditsGrant,
  creditsPayment,
  creditsTopup,
} from './credits/credits-tools';
import { generateImage } from './generation/generate-image';
import { generationStrings } from './generation/generation-strings';
import { transcribeAudio } from './transcription/transcribe-audio';
import { transcriptionStrings } from './transcription/transcription-strings';

export { type CreditPack, type StudioConfig, studioConfig } from './credits/studio-config';

/**
 * `@botwire/skill-avatars`: the avatar studio's tools. So far: pictures in style presets
 * (`/generate`, charged and refunded when the image service fails), voice and audio transcription
 * (long recordings in ordered chunks), the credit balance (`/balance`), top-up with Telegram
 * Stars (`/topup`, paid through the skill's `payment` hook) and grants by admins (`/grant`).
 */
export default defineSkill({
  tools: {
    transcribe_audio: transcribeAudio,
    avatar_generate: generateImage,
    credits_balance: creditsBalance,
    credits_topup: creditsTopup,
    credits_grant: creditsGrant,
  },
  strings: {
    en: { ...transcriptionStrings.en, ...creditsStrings.en, ...generationStrings.en },
    ru: { ...transcriptionStrings.ru, ...creditsStrings.ru, ...generationStrings.ru },
  },
  payment: creditsPayment,
});
