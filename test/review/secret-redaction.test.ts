import { randomBytes } from 'node:crypto';
import { isSensitivePath, looksLikeSecret, REDACTED, Redactor } from '../../lib/review/secret-redaction';

describe('looksLikeSecret', () => {
  test.each([
    ['an AWS secret access key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['an AWS access key id inside text', 'key=AKIAIOSFODNN7EXAMPLE;'],
    ['an Alibaba Cloud AccessKey id', 'LTAI5tQ8xYzAbCdEfGhIjKlM'],
    ['a PEM private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEow...'],
    ['a random base64url referer secret', 'Kq3zP9vR2mX7tL0wB5nY8cF1hJ4sD6gA'],
  ])('%s is a secret', (_unused, text) => {
    expect(looksLikeSecret(text)).toBe(true);
  });

  test('40-character AWS-style secret keys are always detected', () => {
    // Fixed seeds would hide a regression in the shape rule; 40 random base64 characters always match it.
    const keys = Array.from({ length: 200 }, () => randomBytes(30).toString('base64'));
    const withAllClasses = keys.filter((key) => /[a-z]/.test(key) && /[A-Z]/.test(key) && /[0-9]/.test(key));
    expect(withAllClasses.filter((key) => !looksLikeSecret(key))).toEqual([]);
  });

  test.each([
    ['a stack name', 'S3AliCdnOrigin-example'],
    ['a CDK logical id', 'OriginBucketPolicy2D9E4B71'],
    ['a bootstrap role ARN', 'arn:aws:iam::123456789012:role/cdk-hnb659fds-deploy-role-123456789012-ap-northeast-2'],
    ['an asset hash', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.zip'],
    ['an S3 host', 'ali-cdn-test.s3.ap-northeast-2.amazonaws.com'],
    ['a description', 'Origin bucket for test.test.com served through Alibaba Cloud CDN'],
    ['a CamelCase identifier with digits', 'ServiceDomainCertificateV2Binding'],
  ])('%s is not a secret', (_unused, text) => {
    expect(looksLikeSecret(text)).toBe(false);
  });
});

describe('isSensitivePath', () => {
  test('secret names anywhere on the path, and type-specific properties', () => {
    expect(isSensitivePath('AWS::SecretsManager::Secret', ['SecretString'])).toBe(true);
    expect(isSensitivePath('AWS::Any', ['Config', 'client_secret'])).toBe(true);
    expect(isSensitivePath('ALIYUN::CAS::Certificate', ['Key'])).toBe(true);
    expect(isSensitivePath('AWS::S3::Bucket', ['Tags', 'Key'])).toBe(false);
    expect(isSensitivePath('AWS::SecretsManager::Secret', ['Name'])).toBe(false);
  });
});

describe('Redactor', () => {
  test('NoEcho parameter defaults are hidden wherever they appear', () => {
    const redactor = Redactor.forTemplates({
      Parameters: { RefererSecret: { Type: 'String', NoEcho: 'true', Default: 'plain-words-but-secret' } },
    });
    expect(redactor.render({ header_value: 'x', other: 'prefix plain-words-but-secret' })).toBe(
      `{"header_value":"x","other":"${REDACTED}"}`,
    );
  });

  test('references stay visible under a secret name, literals do not', () => {
    const redactor = new Redactor();
    expect(redactor.render({ Ref: 'ReaderSecretAccessKey' }, { sensitive: true })).toBe('{"Ref":"ReaderSecretAccessKey"}');
    expect(redactor.render('letmein', { sensitive: true })).toBe(REDACTED);
    expect(
      redactor.render(
        { 'Fn::Join': ['', ['{"secretAccessKey":"', { 'Fn::GetAtt': ['Key', 'SecretAccessKey'] }, '"}']] },
        { sensitive: true },
      ),
    ).toBe(`{"Fn::Join":["",["${REDACTED}",{"Fn::GetAtt":["Key","SecretAccessKey"]},"${REDACTED}"]]}`);
  });

  test('nested secret keys are hidden inside otherwise printable objects', () => {
    expect(new Redactor().render({ UserName: 'reader', Password: 'hunter2' })).toBe(`{"UserName":"reader","Password":"${REDACTED}"}`);
  });

  test('plain URLs may be shown under a sensitive header, URLs carrying a token may not', () => {
    const redactor = new Redactor();
    expect(redactor.render('https://test.test.com/', { sensitive: true, allowUrls: true })).toBe('https://test.test.com/');
    expect(redactor.render('https://test.test.com/Kq3zP9vR2mX7tL0wB5nY8cF1', { sensitive: true, allowUrls: true })).toBe(REDACTED);
    expect(redactor.render('https://test.test.com/', { sensitive: true })).toBe(REDACTED);
  });
});
