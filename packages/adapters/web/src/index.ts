import { webAdapter } from './web-adapter';

export {
  type ArtifactStore,
  directoryArtifactStore,
  memoryArtifactStore,
  type StoredArtifact,
} from './artifact-store';
export type { ArtifactLink, ChatEvent } from './chat-channels';
export type { UploadedFile, WebUpload } from './file-upload';
export { hashToken, type Invitation, WebAccounts, type WebPrincipal } from './web-accounts';
export { type WebAdapterOptions, type WebInput, webAdapter } from './web-adapter';

/** The adapter factory, so configs can name it: `adapters: ["web"]`. */
export default webAdapter;
