/** File bytes -> text to review, or why not, for `check` and `review` (src/parsers/decode-text.ts). */
import { decodeText, type Decoded } from '../parsers/decode-text.js';

/** Deployment files are small; anything bigger is generated or vendored and not worth the memory. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** `size` may be given when the bytes were not read because of it. */
export function decodeContent(bytes: Uint8Array, size = bytes.length): Decoded {
  return decodeText(bytes, MAX_FILE_BYTES, size);
}
