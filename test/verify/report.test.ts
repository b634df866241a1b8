import { verifyReport, type CheckResult } from '../../lib/verify/check-result';
import { renderVerifyJson, renderVerifyTable, verifyExitCode } from '../../lib/verify/report';

const pass: CheckResult = { id: 'a', title: 'first check', status: 'pass', detail: 'fine' };
const fail: CheckResult = { id: 'b', title: 'second', status: 'fail', detail: 'broken' };
const skip: CheckResult = { id: 'c', title: 'third', status: 'skip', detail: 'not run' };

describe('verify report', () => {
  it('is ok only when every check passed', () => {
    expect(verifyReport([pass]).ok).toBe(true);
    expect(verifyReport([pass, skip]).ok).toBe(false);
    expect(verifyReport([pass, fail]).ok).toBe(false);
    expect(verifyReport([]).ok).toBe(false);
    expect(verifyExitCode(verifyReport([pass]))).toBe(0);
    expect(verifyExitCode(verifyReport([pass, skip]))).toBe(1);
  });

  it('renders aligned columns and a summary line', () => {
    expect(renderVerifyTable(verifyReport([pass, fail, skip]))).toBe(
      [
        'STATUS  CHECK        DETAIL',
        'PASS    first check  fine',
        'FAIL    second       broken',
        'SKIP    third        not run',
        '',
        'verify: 2 of 3 checks did not pass',
      ].join('\n'),
    );
    expect(renderVerifyTable(verifyReport([pass]))).toContain('verify: all 1 checks passed');
  });

  it('renders JSON that round-trips', () => {
    const report = verifyReport([pass, fail]);
    expect(JSON.parse(renderVerifyJson(report))).toEqual({ ok: false, results: [pass, fail] });
  });
});
