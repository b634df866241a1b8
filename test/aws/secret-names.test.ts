import { refererSecretDynamicReference } from '../../lib/aws/secret-names';

const secretId = 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:origin-reader-AbCdEf';

describe('refererSecretDynamicReference', () => {
  it('addresses one JSON field, optionally pinned to a version', () => {
    expect(refererSecretDynamicReference(secretId, 'current')).toBe(`{{resolve:secretsmanager:${secretId}:SecretString:current}}`);
    expect(refererSecretDynamicReference(secretId, 'previous', 'v-9')).toBe(`{{resolve:secretsmanager:${secretId}:SecretString:previous::v-9}}`);
  });
});
