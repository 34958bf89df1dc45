/**
 * @botwire/images-fal — the image generation driver for FAL: give `falImageGenerator({...})` to a
 * bot as its image generator (pictures from flux-lora, personal models from FAL's LoRA
 * trainers). A local FAL queue peer for tests is in `@botwire/images-fal/testing`.
 */
export {
  FAL_MAX_PROMPT_LENGTH,
  type FalImageGenerator,
  type FalImageGeneratorOptions,
  falImageGenerator,
} from './fal-image-generator';
export type { FalTrainingModels } from './fal-training';
