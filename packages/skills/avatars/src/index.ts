import { defineSkill } from '@botwire/core';
import { avatarStrings } from './avatars/avatar-strings';
import { avatarList, generationHistory } from './avatars/avatar-tools';
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
 * `@botwire/skill-avatars`: the avatar studio's tools: pictures in style presets, drawn with
 * the user's newest ready avatar (`/generate`, charged and refunded when the image service
 * fails), the gallery of avatars (`/avatars`) and of pictures (`/history`), voice and audio
 * transcription (long recordings in ordered chunks), the credit balance (`/balance`), top-up
 * with Telegram Stars (`/topup`, paid through the skill's `payment` hook) and grants by admins
 * (`/grant`). Avatars are made by the `avatarStudio()` extension from
 * `@botwire/skill-avatars/studio` (`/create_avatar`).
 */
export default defineSkill({
  tools: {
    transcribe_audio: transcribeAudio,
    avatar_generate: generateImage,
    avatar_list: avatarList,
    avatar_history: generationHistory,
    credits_balance: creditsBalance,
    credits_topup: creditsTopup,
    credits_grant: creditsGrant,
  },
  strings: {
    en: {
      ...transcriptionStrings.en,
      ...creditsStrings.en,
      ...generationStrings.en,
      ...avatarStrings.en,
    },
    ru: {
      ...transcriptionStrings.ru,
      ...creditsStrings.ru,
      ...generationStrings.ru,
      ...avatarStrings.ru,
    },
  },
  payment: creditsPayment,
});
