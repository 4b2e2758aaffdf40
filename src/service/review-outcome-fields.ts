/**
 * The part of a review-history record both platforms fill the same way from a finished job: its status, why it
 * was skipped or what failed, findings by severity, when and how long, and the API calls it made.
 */
import type { Severity } from '../model/finding.js';
import type { NewReviewRecord } from './review-history.js';

export interface FinishedJob {
  outcome?: { skipped?: string | undefined; severities?: Partial<Record<Severity, number>> | undefined; apiCalls: number };
  error?: { message: string; permanent: boolean };
  /** The review ran but, DRY_RUN, posted nothing. */
  dryRun: boolean;
  finishedAt: number;
  durationMs: number;
}

export function outcomeFields(job: FinishedJob): Pick<NewReviewRecord, 'status' | 'skipped' | 'error' | 'severities' | 'finishedAt' | 'durationMs' | 'apiCalls'> {
  const { outcome, error } = job;
  const counts = outcome?.severities;
  return {
    status: error !== undefined ? (error.permanent ? 'dead' : 'failed') : outcome?.skipped !== undefined ? 'skipped' : job.dryRun ? 'dry-run' : 'done',
    ...(outcome?.skipped !== undefined ? { skipped: outcome.skipped } : {}),
    ...(error !== undefined ? { error: error.message } : {}),
    severities: { error: counts?.error ?? 0, warning: counts?.warning ?? 0, info: counts?.info ?? 0 },
    finishedAt: job.finishedAt,
    durationMs: Math.max(0, Math.round(job.durationMs)),
    ...(outcome !== undefined ? { apiCalls: outcome.apiCalls } : {}),
  };
}
