/**
 * `@botwire/skill-avatars/studio`: the avatar creation flow and the training watch, as a bot
 * extension (`extensions: [avatarStudio()]`).
 */
export { type AvatarRecord, type AvatarStatus, AvatarStore } from '../avatars/avatar-records';
export { defaultPhotoRules, type PhotoRules } from '../photos/check-photo';
export { type AvatarStudioExtension, avatarStudio } from './avatar-studio';
export { AvatarTraining, trainingCheckJob, webhookPath } from './avatar-training';
export { type CreateAvatarData, createAvatarConversation } from './create-avatar';
export type { AvatarStudioOptions } from './studio-options';
