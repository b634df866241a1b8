import { describeAwsError, isAccessDenied, isAwsError, scrubSecrets } from '../../lib/aws/aws-errors';
import { awsError, iamError } from '../doubles/aws-error-doubles';

describe('isAwsError', () => {
  it('matches the SDK class name, the wire Code, and either form of the code', () => {
    const noSuchEntity = iamError('NoSuchEntity', 'The user with name x cannot be found.', 404);
    expect(isAwsError(noSuchEntity, 'NoSuchEntity')).toBe(true);
    expect(isAwsError(noSuchEntity, 'NoSuchEntityException')).toBe(true);
    expect(isAwsError(awsError('ResourceNotFoundException'), 'ResourceNotFound')).toBe(true);
    expect(isAwsError(awsError('ExpiredToken'), 'ExpiredTokenException')).toBe(true);
    expect(isAwsError(awsError('LimitExceededException'), 'NoSuchEntity')).toBe(false);
    expect(isAwsError(undefined, 'NoSuchEntity')).toBe(false);
  });

  it('recognises access denied in its spellings', () => {
    expect(isAccessDenied(awsError('AccessDenied'))).toBe(true);
    expect(isAccessDenied(awsError('AccessDeniedException'))).toBe(true);
    expect(isAccessDenied(awsError('Forbidden'))).toBe(false);
  });
});

describe('scrubSecrets', () => {
  it('removes access key ids, 40-character secret keys and long tokens, and keeps ordinary text', () => {
    const token = 'IQoJb3JpZ2luX2VjE'.repeat(10);
    const text = `key AKIAIOSFODNN7EXAMPLE and ASIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY token ${token} at arn:aws:iam::111122223333:user/reader`;
    expect(scrubSecrets(text)).toBe(
      'key [redacted] and [redacted] secret [redacted] token [redacted] at arn:aws:iam::111122223333:user/reader',
    );
  });

  it('describes an error as name and scrubbed message', () => {
    expect(describeAwsError(awsError('Throttling', 'Rate exceeded for AKIAIOSFODNN7EXAMPLE'))).toBe(
      'Throttling: Rate exceeded for [redacted]',
    );
    expect(describeAwsError('plain')).toBe('Error: plain');
  });
});
