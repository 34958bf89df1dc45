import { defineSkill } from '@botwire/core';
import { creditsStrings } from './credits/credits-strings';
import {
  creditsBalance,
  creditsGrant,
  creditsPayment,
  creditsTopup,
} from './credits/credits-tools';
import { transcribeAudio } from './transcription/transcribe-audio';
import { transcriptionStrings } from './transcription/transcription-strings';

export { type CreditPack, type StudioConfig, studioConfig } from './credits/studio-config';

/**
 * `@botwire/skill-avatars`: the avatar studio's tools. So far: voice and audio transcription
 * (long recordings in ordered chunks), the credit balance (`/balance`), top-up with Telegram
 * Stars (`/topup`, paid through the skill's `payment` hook) and grants by admins (`/grant`).
 */
export default defineSkill({
  tools: {
    transcribe_audio: transcribeAudio,
    credits_balance: creditsBalance,
    credits_topup: creditsTopup,
    credits_grant: creditsGrant,
  },
  strings: {
    en: { ...transcriptionStrings.en, ...creditsStrings.en },
    ru: { ...transcriptionStrings.ru, ...creditsStrings.ru },
  },
  payment: creditsPayment,
});
