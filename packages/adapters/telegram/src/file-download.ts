import { readFile, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { BotwireError } from '@botwire/core';
import type { Api } from 'grammy';

/** Where and how files are fetched. */
export interface FileDownloadOptions {
  api: Api;
  /** The Bot API root, such as `https://api.telegram.org`. */
  apiRoot: string;
  token: string;
  /** The largest file fetched, in bytes. */
  maxBytes: number;
  fetch?: typeof fetch;
}

function tooLarge(size: number, maxBytes: number): BotwireError {
  return new BotwireError('BOTWIRE_ADAPTER_FAILED', {
    message: `The Telegram file has ${size} bytes, more than the limit of ${maxBytes}.`,
    hint: 'Raise maxDownloadBytes in the telegram adapter options (the public Bot API serves at most 20 MB; a local Bot API server more).',
  });
}

/**
 * Makes lazy downloaders for Telegram files: nothing is fetched until `download()` is called;
 * then `getFile` gives the path, and the bytes come from `<apiRoot>/file/bot<token>/<path>`
 * (or from disk, when a local Bot API server gives an absolute path). The size limit is checked
 * before the download, against the announced length, and while reading.
 */
export function fileDownloader(options: FileDownloadOptions) {
  const { api, maxBytes } = options;
  return (fileId: string, knownSize?: number) =>
    async (signal?: AbortSignal): Promise<Uint8Array> => {
      if (knownSize !== undefined && knownSize > maxBytes) throw tooLarge(knownSize, maxBytes);
      const file = await api.getFile(fileId, signal as Parameters<Api['getFile']>[1]);
      if (file.file_size !== undefined && file.file_size > maxBytes)
        throw tooLarge(file.file_size, maxBytes);
      const path = file.file_path;
      if (!path)
        throw new BotwireError('BOTWIRE_ADAPTER_FAILED', {
          message: 'Telegram gave no path for the file, so it cannot be downloaded.',
        });
      if (isAbsolute(path)) {
        const { size } = await stat(path);
        if (size > maxBytes) throw tooLarge(size, maxBytes);
        return new Uint8Array(await readFile(path, { signal }));
      }
      return fetchLimited(options, path, signal);
    };
}

async function fetchLimited(
  options: FileDownloadOptions,
  path: string,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const { apiRoot, token, maxBytes } = options;
  const url = `${apiRoot.replace(/\/+$/, '')}/file/bot${token}/${path.replace(/^\/+/, '')}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, signal ? { signal } : {});
  } catch (error) {
    throw new BotwireError('BOTWIRE_ADAPTER_FAILED', {
      message: 'The Telegram file could not be downloaded: the request failed.',
      cause: error,
    });
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new BotwireError('BOTWIRE_ADAPTER_FAILED', {
      message: `The Telegram file could not be downloaded (HTTP ${response.status}).`,
    });
  }
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (announced > maxBytes) {
    await response.body.cancel();
    throw tooLarge(announced, maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(total, maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
