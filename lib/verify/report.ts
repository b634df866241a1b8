import type { CheckStatus, VerifyReport } from './check-result';

const LABEL: Readonly<Record<CheckStatus, string>> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' };

/** A plain-text table (no colour codes, so it reads the same in CI logs and in a terminal). */
export function renderVerifyTable(report: VerifyReport): string {
  const rows = report.results.map((result) => [LABEL[result.status], result.title, result.detail]);
  const header = ['STATUS', 'CHECK', 'DETAIL'];
  const widths = [0, 1].map((column) => Math.max(header[column].length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => [cells[0].padEnd(widths[0]), cells[1].padEnd(widths[1]), cells[2]].join('  ').trimEnd();
  const failed = report.results.filter((result) => result.status !== 'pass').length;
  const summary = report.ok
    ? `verify: all ${report.results.length} checks passed`
    : `verify: ${failed} of ${report.results.length} checks did not pass`;
  return [line(header), ...rows.map(line), '', summary].join('\n');
}

export function renderVerifyJson(report: VerifyReport): string {
  return JSON.stringify(report, null, 2);
}

export function verifyExitCode(report: VerifyReport): 0 | 1 {
  return report.ok ? 0 : 1;
}
