import { CiIdentityConfigError } from '../lib/ci-identity/ci-identity-config';
import { ConfigError } from '../lib/config/config-error';
import { DeployLockedError } from '../lib/deploy/deploy-lock';
import { DeployStepError } from '../lib/deploy/deploy-stage';
import { errorMessage, exitCodeFor, exitCodeOf, isS3AlicdnError, S3AlicdnError, type ErrorCode } from '../lib/errors';
import { ReviewError } from '../lib/review/review-error';

describe('exit status by error code', () => {
  test("bad input exits 2; anything attempted that failed exits 1; waiting on Alibaba's review exits 3", () => {
    const expected: Record<ErrorCode, 1 | 2 | 3> = {
      CONFIG_INVALID: 2,
      USAGE: 2,
      PREFLIGHT_FAILED: 1,
      LOCKED: 1,
      NOT_CONFIRMED: 1,
      SYNTH_FAILED: 1,
      DEPLOY_FAILED: 1,
      CLOUD_API: 1,
      BAD_FILE: 1,
      REVIEW_FAILED: 1,
      VERIFY_FAILED: 1,
      AWAITING_REVIEW: 3,
    };
    for (const [code, status] of Object.entries(expected)) {
      expect([code, exitCodeOf(code as ErrorCode)]).toEqual([code, status]);
      expect([code, exitCodeFor(new S3AlicdnError(code as ErrorCode, 'x'))]).toEqual([code, status]);
    }
  });

  test('an error that is not ours is unexpected: exit 1, its message shown', () => {
    expect(exitCodeFor(new Error('boom'))).toBe(1);
    expect(exitCodeFor('a thrown string')).toBe(1);
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('a thrown string')).toBe('a thrown string');
  });

  test("the project's errors carry their codes", () => {
    const config = new ConfigError('config/prod.json', [{ path: 'sites', value: undefined, allowed: 'must list at least one site' }]);
    expect(config).toMatchObject({ code: 'CONFIG_INVALID', name: 'ConfigError' });
    expect(config.message).toBe('Invalid configuration in config/prod.json:\n  - sites: missing; must list at least one site');
    expect(exitCodeFor(config)).toBe(2);
    expect(new ReviewError('no base')).toMatchObject({ code: 'REVIEW_FAILED', name: 'ReviewError', message: 'no base' });
    expect(new DeployStepError('aws-origin', 'cdk failed')).toMatchObject({
      code: 'DEPLOY_FAILED',
      step: 'aws-origin',
      name: 'DeployStepError',
    });
    expect(new DeployStepError('preflight', 'no', { code: 'PREFLIGHT_FAILED' }).code).toBe('PREFLIGHT_FAILED');
    const locked = new DeployLockedError('/x/.deploy-lock-prod.json', {
      stage: 'prod',
      pid: 1,
      host: 'h',
      command: 'deploy',
      startedAt: 't',
    });
    expect(locked).toMatchObject({ code: 'LOCKED', name: 'DeployLockedError' });
    expect(isS3AlicdnError(locked)).toBe(true);
    expect(isS3AlicdnError(new Error('x'))).toBe(false);
    // bin/ci-identity-app.ts exits with this status for a bad input.
    expect(exitCodeFor(new CiIdentityConfigError(['repo: missing']))).toBe(2);
  });
});
