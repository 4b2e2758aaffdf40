/**
 * File bytes -> the text to review, or why not (too large, binary, not UTF-8): the same rules whichever source the
 * bytes come from (the file system, git, GitHub, Gerrit); each source says how large a file it accepts.
 */

export type Decoded = { text: string } | { skipped: string };

/** Like git, a NUL byte in the first 8000 bytes means binary. */
const BINARY_SNIFF_BYTES = 8000;

export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/** Why a file of `size` bytes is not read, for a source that knows the size before it reads. */
export function tooLarge(size: number, maxBytes: number): Decoded {
  return { skipped: `too large (${size} bytes, the limit is ${maxBytes})` };
}

/** `size` is the file's size when only its head was read because of it. */
export function decodeText(bytes: Uint8Array, maxBytes: number, size = bytes.length): Decoded {
  if (size > maxBytes) return tooLarge(size, maxBytes);
  if (isBinary(bytes)) return { skipped: 'binary' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { skipped: 'not valid UTF-8' };
  }
}
