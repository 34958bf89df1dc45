import { runImageGeneratorContract } from '@botwire/core/contract-suites';
import { type FalPeer, startFalPeer } from '@botwire/images-fal/testing';
import { falImageGenerator } from './fal-image-generator';

let peer: FalPeer;

runImageGeneratorContract(
  'fal',
  async () => {
    peer = await startFalPeer();
    return {
      generator: falImageGenerator({ apiKey: peer.apiKey, queueUrl: peer.url, pollIntervalMs: 10 }),
      close: () => peer.close(),
      requestCount: () => peer.calls.length,
    };
  },
  { trains: true, completeTraining: (jobId) => peer.complete(jobId) },
);
