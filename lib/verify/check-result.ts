export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  /** Stable id for scripts reading the JSON report. */
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly detail: string;
}

export interface VerifyReport {
  /** True only when every check passed: a skipped check means something it depended on failed. */
  readonly ok: boolean;
  readonly results: readonly CheckResult[];
}

export function verifyReport(results: readonly CheckResult[]): VerifyReport {
  return { ok: results.length > 0 && results.every((result) => result.status === 'pass'), results };
}
