/**
 * @botwire/images-fal/testing — a local server that speaks FAL's queue API (submit, status,
 * result, cancel, webhooks) with flux-lora and the LoRA trainers behind it, for testing this
 * driver and bots that use it on loopback, without a FAL account.
 */
export {
  type FalPeer,
  type FalPeerCall,
  type FalPeerOptions,
  type FalPeerRequest,
  type FalPeerWebhook,
  startFalPeer,
} from './fal-peer';
