/** File bytes -> text to review, or why not (binary, too large, not UTF-8). Same rules for `check` and `review`. */

/** Deployment files are small; anything bigger is generated or vendored and not worth the memory. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Like git, a NUL byte in the first 8000 bytes means binary. */
const BINARY_SNIFF_BYTES = 8000;

export type Decoded = { text: string } | { skipped: string };

export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/** `size` may be given when the bytes were not read because of it. */
export function decodeContent(bytes: Uint8Array, size = bytes.length): Decoded {
  if (size > MAX_FILE_BYTES) return { skipped: 'too large' };
  if (isBinary(bytes)) return { skipped: 'binary' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { skipped: 'not valid UTF-8' };
  }
}
