/**
 * The head side of a file by blob id: from the process's blob cache, else from the GraphQL snapshot's text, else
 * (GraphQL truncated the text, or it holds U+FFFD where the bytes may not be UTF-8) one `git/blobs` call whose
 * bytes are decoded strictly. Whatever is decided about a blob (its text, or binary, too large, not UTF-8) is
 * cached; a failed read is not.
 */
import type { GitHubApi } from './api.js';
import type { BlobCache, BlobContent } from './blob-cache.js';
import type { GraphQLBlob } from './pull-request-query.js';
import { tooLarge, type Decoded } from '../../parsers/decode-text.js';
import { fetchSide, MAX_FILE_BYTES } from './pull-request-source.js';
import type { PullRequestRef } from './types.js';

/** What GraphQL's answer settles about a blob, or undefined when only its bytes can tell. */
export function decodeGraphQLBlob(blob: GraphQLBlob): BlobContent | undefined {
  if (blob.byteSize > MAX_FILE_BYTES) return tooLarge(blob.byteSize, MAX_FILE_BYTES);
  if (blob.isBinary) return { skipped: 'binary' };
  if (blob.isTruncated || blob.text === null) return undefined;
  // GitHub turns bytes that are not UTF-8 into U+FFFD: the bytes decide whether the file really has one.
  if (blob.text.includes('\uFFFD')) return undefined;
  return { text: blob.text };
}

export function blobReader(
  api: GitHubApi,
  pr: PullRequestRef,
  cache: BlobCache,
  fetched: ReadonlyMap<string, GraphQLBlob>,
): (oid: string) => Promise<Decoded> {
  return async (oid) => {
    const cached = cache.get(oid);
    if (cached !== undefined) return cached;
    const blob = fetched.get(oid);
    const settled = blob !== undefined ? decodeGraphQLBlob(blob) : undefined;
    if (settled !== undefined) {
      cache.set(oid, settled);
      return settled;
    }
    let failed = false;
    const decoded = await fetchSide(async () => {
      try {
        return await api.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner: pr.owner, repo: pr.repo, file_sha: oid });
      } catch (error) {
        failed = true;
        throw error;
      }
    });
    if (!failed) cache.set(oid, decoded);
    return decoded;
  };
}


