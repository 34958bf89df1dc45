import type { Attachment } from '../messages/incoming-message';
import type { ChatImage } from '../ports/chat-model';

/** The largest picture a model is sent, in bytes (OpenAI takes up to 20 MB a picture). */
export const maxImageBytes = 20 * 1024 * 1024;

/** The most pictures of one message a model is sent. */
export const maxImagesPerMessage = 4;

const imageTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

/**
 * The attachments of a message that are pictures a model could look at: photos, and
 * documents or stickers whose type is JPEG, PNG, WebP or GIF.
 */
export function pictureAttachments(attachments: readonly Attachment[]): Attachment[] {
  return attachments.filter(
    (attachment) =>
      attachment.kind === 'photo' ||
      ((attachment.kind === 'document' || attachment.kind === 'sticker') &&
        imageTypes.includes(attachment.mimeType ?? '')),
  );
}

/** The picture type the first bytes show, or undefined for anything else. */
export function imageTypeOf(bytes: Uint8Array): string | undefined {
  const at = (offset: number, ...values: number[]) =>
    values.every((value, index) => bytes[offset + index] === value);
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return undefined;
}

/**
 * Reads the pictures for a model: at most {@link maxImagesPerMessage}, each at most
 * {@link maxImageBytes}, typed by their bytes (not by what the messenger claims). A picture that
 * is too big, cannot be downloaded or is not JPEG, PNG, WebP or GIF is left out; an empty
 * result means none could be read.
 */
export async function readPictures(
  pictures: readonly Attachment[],
  signal?: AbortSignal,
): Promise<ChatImage[]> {
  const read = await Promise.all(
    pictures.slice(0, maxImagesPerMessage).map(async (picture) => {
      if (!picture.download || (picture.size ?? 0) > maxImageBytes) return undefined;
      const data = await picture.download(signal).catch(() => undefined);
      if (!data || data.byteLength > maxImageBytes) return undefined;
      const mimeType = imageTypeOf(data);
      return mimeType ? { data, mimeType } : undefined;
    }),
  );
  return read.filter((image): image is ChatImage => image !== undefined);
}
