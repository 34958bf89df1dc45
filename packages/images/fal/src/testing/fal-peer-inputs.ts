/** One entry of a FAL (pydantic) validation error: where, what, which kind. */
export interface FalDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** The sizes flux-lora's `image_size` presets stand for. */
export const imageSizePresets: Record<string, { width: number; height: number }> = {
  square_hd: { width: 1024, height: 1024 },
  square: { width: 512, height: 512 },
  portrait_4_3: { width: 768, height: 1024 },
  portrait_16_9: { width: 576, height: 1024 },
  landscape_4_3: { width: 1024, height: 768 },
  landscape_16_9: { width: 1024, height: 576 },
};

const missing = (field: string): FalDetail => ({
  loc: ['body', field],
  msg: 'field required',
  type: 'value_error.missing',
});

function integerIn(
  value: unknown,
  loc: (string | number)[],
  low: number,
  high: number,
  problems: FalDetail[],
): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    problems.push({ loc, msg: 'value is not a valid integer', type: 'type_error.integer' });
  } else if (value < low) {
    problems.push({
      loc,
      msg: `ensure this value is greater than or equal to ${low}`,
      type: 'value_error.number.not_ge',
    });
  } else if (value > high) {
    problems.push({
      loc,
      msg: `ensure this value is less than or equal to ${high}`,
      type: 'value_error.number.not_le',
    });
  }
}

/** A checked flux-lora input: the pictures to make, or the validation problems. */
export interface GenerationPlan {
  prompt: string;
  width: number;
  height: number;
  count: number;
  seed: number;
  loras: string[];
}

/** Checks a flux-lora input as FAL's schema does and works out what to draw. */
export function checkGenerationInput(
  input: Record<string, unknown>,
): { ok: true; plan: GenerationPlan } | { ok: false; detail: FalDetail[] } {
  const problems: FalDetail[] = [];
  const { prompt, image_size: size = 'landscape_4_3', num_images: count = 1, seed } = input;
  if (prompt === undefined) problems.push(missing('prompt'));
  else if (typeof prompt !== 'string') {
    problems.push({ loc: ['body', 'prompt'], msg: 'str type expected', type: 'type_error.str' });
  }
  let width = 0;
  let height = 0;
  if (typeof size === 'string') {
    const preset = imageSizePresets[size];
    if (preset) ({ width, height } = preset);
    else {
      problems.push({
        loc: ['body', 'image_size'],
        msg: `value is not a valid enumeration member; permitted: ${Object.keys(imageSizePresets).join(', ')}`,
        type: 'type_error.enum',
      });
    }
  } else if (size && typeof size === 'object' && !Array.isArray(size)) {
    const box = size as Record<string, unknown>;
    integerIn(box.width, ['body', 'image_size', 'width'], 1, 14142, problems);
    integerIn(box.height, ['body', 'image_size', 'height'], 1, 14142, problems);
    width = Number(box.width);
    height = Number(box.height);
  } else {
    problems.push({
      loc: ['body', 'image_size'],
      msg: 'value is not a valid image size: a preset name or { width, height }',
      type: 'type_error',
    });
  }
  integerIn(count, ['body', 'num_images'], 1, 4, problems);
  if (seed !== undefined && seed !== null) integerIn(seed, ['body', 'seed'], 0, 2 ** 53, problems);
  const format = input.output_format ?? 'jpeg';
  if (format !== 'jpeg' && format !== 'png') {
    problems.push({
      loc: ['body', 'output_format'],
      msg: "unexpected value; permitted: 'jpeg', 'png'",
      type: 'value_error.const',
    });
  }
  const loras: string[] = [];
  if (input.loras !== undefined) {
    if (!Array.isArray(input.loras)) {
      problems.push({
        loc: ['body', 'loras'],
        msg: 'value is not a valid list',
        type: 'type_error.list',
      });
    } else {
      input.loras.forEach((lora: unknown, index) => {
        const path = (lora as { path?: unknown })?.path;
        if (typeof path !== 'string') problems.push(missing(`loras.${index}.path`));
        else loras.push(path);
      });
    }
  }
  if (problems.length) return { ok: false, detail: problems };
  // flux works on a 16-pixel grid: sides are rounded to it
  const grid = (side: number) => Math.max(16, Math.round(side / 16) * 16);
  return {
    ok: true,
    plan: {
      prompt: prompt as string,
      width: grid(width),
      height: grid(height),
      count: count as number,
      seed: typeof seed === 'number' ? seed : Math.floor(Math.random() * 2 ** 31),
      loras,
    },
  };
}

/** A checked trainer input: the archive's bytes and the trigger, or the validation problems. */
export function checkTrainingInput(
  input: Record<string, unknown>,
  triggerField: 'trigger_word' | 'trigger_phrase',
): { ok: true; archive: Buffer; trigger: string } | { ok: false; detail: FalDetail[] } {
  const problems: FalDetail[] = [];
  const url = input.images_data_url;
  let archive = Buffer.alloc(0);
  if (url === undefined) problems.push(missing('images_data_url'));
  else if (typeof url !== 'string' || !url.startsWith('data:')) {
    problems.push({
      loc: ['body', 'images_data_url'],
      msg: 'The peer takes the archive as a data: URL (base64) only',
      type: 'value_error.url',
    });
  } else {
    const comma = url.indexOf(',');
    const meta = url.slice(5, comma);
    archive = meta.endsWith(';base64')
      ? Buffer.from(url.slice(comma + 1), 'base64')
      : Buffer.from(decodeURIComponent(url.slice(comma + 1)), 'latin1');
    const isZip = archive.length >= 4 && archive.readUInt32LE(0) === 0x04034b50;
    if (comma < 0 || !isZip) {
      problems.push({
        loc: ['body', 'images_data_url'],
        msg: 'The images archive is not a zip file',
        type: 'value_error',
      });
    }
  }
  const trigger = input[triggerField];
  if (trigger !== undefined && trigger !== null && typeof trigger !== 'string') {
    problems.push({
      loc: ['body', triggerField],
      msg: 'str type expected',
      type: 'type_error.str',
    });
  }
  if (input.steps !== undefined) integerIn(input.steps, ['body', 'steps'], 1, 10000, problems);
  if (problems.length) return { ok: false, detail: problems };
  return { ok: true, archive, trigger: typeof trigger === 'string' ? trigger : '' };
}
