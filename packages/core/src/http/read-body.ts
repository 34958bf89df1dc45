/**
 * Reads a request body as UTF-8 text, refusing one larger than `maxBytes` without reading it to
 * its end: a too-large `Content-Length` is refused at once, and a body that grows past the
 * limit is cancelled. Returns undefined when the body is too large, `''` when there is none.
 *
 * @example
 * const text = await readBodyText(request, 1024 * 1024);
 * if (text === undefined) return new Response('too large', { status: 413 });
 */
export async function readBodyText(
  request: Request,
  maxBytes: number,
): Promise<string | undefined> {
  const declared = request.headers.get('content-length');
  if (declared !== null && !(Number(declared) <= maxBytes)) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
