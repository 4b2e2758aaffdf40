/**
 * The webhooks plugin cannot sign its requests, so `POST /gerrit/events?token=<GERRIT_WEBHOOK_TOKEN>` is the
 * authentication: compared in constant time (hashes of equal length, so neither content nor length leaks).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected === '') return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}
