import { STATEMENT_IDS } from '../../lib/aws/bucket-policy-statements';
import { ORIGIN_STACK_OUTPUTS } from '../../lib/aws/origin-stack';
import { normalizeTemplate, onlyResourceOfType, templatesFor } from '../helpers/synthesized-templates';
import type { TestVariant } from '../helpers/test-variants';

const ORIGIN_STACK = 's3alicdn-example-test-test-com-origin';

function originTemplate(variant: TestVariant) {
  return templatesFor(variant).aws[ORIGIN_STACK];
}

/** The origin bucket (not the access-log bucket) and its logical id. */
function originBucketIn(template: any): [string, any] {
  const found = Object.entries<any>(template.Resources).filter(
    ([, r]) => r.Type === 'AWS::S3::Bucket' && r.Properties.BucketName === 'ali-cdn-test',
  );
  expect(found).toHaveLength(1);
  return found[0];
}

function policyOf(template: any, bucketId: string): any {
  return Object.values<any>(template.Resources).find(
    (resource) => resource.Type === 'AWS::S3::BucketPolicy' && resource.Properties.Bucket.Ref === bucketId,
  );
}

function bucketArn(logicalId: string) {
  return { 'Fn::GetAtt': [logicalId, 'Arn'] };
}
function objectsArn(logicalId: string) {
  return { 'Fn::Join': ['', [bucketArn(logicalId), '/*']] };
}

describe('origin stack, referer mode (the guide)', () => {
  const template = originTemplate('referer');
  const [bucketId, bucket] = originBucketIn(template);
  const policy = policyOf(template, bucketId);

  test('the bucket is encrypted, versioned, ACL-free and retained', () => {
    expect(bucket.Properties.BucketName).toBe('ali-cdn-test');
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
  });

  test('all four Block Public Access flags are explicit: ACLs blocked, public policy allowed', () => {
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
  });

  test('the policy is exactly: deny non-TLS, allow GetObject for the service-domain Referer', () => {
    expect(policy.Properties.Bucket).toEqual({ Ref: bucketId });
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: STATEMENT_IDS.denyInsecureTransport,
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: [bucketArn(bucketId), objectsArn(bucketId)],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: STATEMENT_IDS.allowCdnByReferer,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:GetObject',
        Resource: objectsArn(bucketId),
        Condition: { StringLike: { 'aws:Referer': ['https://test.test.com/*', 'http://test.test.com/*'] } },
      },
    ]);
  });

  test('outputs carry what the CDN stack needs', () => {
    expect(template.Outputs[ORIGIN_STACK_OUTPUTS.bucketName].Value).toEqual({ Ref: bucketId });
    expect(template.Outputs[ORIGIN_STACK_OUTPUTS.bucketRegion].Value).toBe('ap-northeast-2');
    expect(template.Outputs[ORIGIN_STACK_OUTPUTS.originHost].Value).toBe('ali-cdn-test.s3.ap-northeast-2.amazonaws.com');
    expect(template.Outputs[ORIGIN_STACK_OUTPUTS.originPathPrefix].Value).toBe('/');
  });

  test('normalized snapshot', () => {
    expect(normalizeTemplate(template)).toMatchSnapshot();
  });
});

describe('origin stack, path-style URLs', () => {
  test('the origin host is the regional S3 host and the path carries the bucket', () => {
    const template = originTemplate('refererPathStyle');
    expect(template.Outputs[ORIGIN_STACK_OUTPUTS.originHost].Value).toBe('s3.ap-northeast-2.amazonaws.com');
    expect(template.Outputs[ORIGIN_STACK_OUTPUTS.originPathPrefix].Value).toBe('/ali-cdn-test/');
  });
});

describe('origin stack, signed mode (the default)', () => {
  const template = originTemplate('signed');
  const [originId, origin] = originBucketIn(template);

  test('the example stage is signed: all four Block Public Access flags on', () => {
    expect(origin.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
  });

  test('the bucket policy only denies non-TLS requests: no Allow to anyone', () => {
    const policy = policyOf(template, originId);
    expect(policy.Properties.PolicyDocument.Statement.map((statement: any) => [statement.Sid, statement.Effect])).toEqual([
      [STATEMENT_IDS.denyInsecureTransport, 'Deny'],
    ]);
  });

  test("the reader may only GetObject on this bucket's objects", () => {
    const policy = onlyResourceOfType(template, 'AWS::IAM::Policy');
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Sid: 'ReadObjects', Effect: 'Allow', Action: 's3:GetObject', Resource: objectsArn(originId) },
    ]);
    const userId = Object.keys(template.Resources).find((id) => template.Resources[id].Type === 'AWS::IAM::User')!;
    expect(policy.Properties.Users).toEqual([{ Ref: userId }]);
    expect(template.Resources[userId].Properties ?? {}).not.toHaveProperty('Policies');
  });

  test('readerCanList adds ListBucket on the bucket itself, nothing else', () => {
    const listing = originTemplate('signedReaderCanList');
    const [bucketId] = originBucketIn(listing);
    expect(onlyResourceOfType(listing, 'AWS::IAM::Policy').Properties.PolicyDocument.Statement).toEqual([
      { Sid: 'ReadObjects', Effect: 'Allow', Action: 's3:GetObject', Resource: objectsArn(bucketId) },
      { Sid: 'ListBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn(bucketId) },
    ]);
  });

  test('no access key is a stack resource; the key secret holds only a placeholder until deploy', () => {
    expect(Object.values<any>(template.Resources).filter((resource) => resource.Type === 'AWS::IAM::AccessKey')).toEqual([]);
    const secret = onlyResourceOfType(template, 'AWS::SecretsManager::Secret');
    expect(secret.Properties.Name).toBe('s3alicdn/example/test-test-com/reader-key');
    expect(secret.Properties.GenerateSecretString).toEqual({
      SecretStringTemplate: '{"state":"awaiting-first-deploy"}',
      GenerateStringKey: 'placeholder',
    });
    expect(secret.Properties).not.toHaveProperty('SecretString');
  });

  test('outputs say where the key is kept, never the key', () => {
    expect(Object.keys(template.Outputs).sort()).toEqual(
      [
        ORIGIN_STACK_OUTPUTS.bucketName,
        ORIGIN_STACK_OUTPUTS.bucketRegion,
        ORIGIN_STACK_OUTPUTS.originHost,
        ORIGIN_STACK_OUTPUTS.originPathPrefix,
        ORIGIN_STACK_OUTPUTS.readerSecretArn,
        ORIGIN_STACK_OUTPUTS.readerUserName,
      ].sort(),
    );
  });

  test('server access logs go to a private, encrypted bucket that expires them', () => {
    expect(origin.Properties.LoggingConfiguration.DestinationBucketName.Ref).toBeDefined();
    const logs = template.Resources[origin.Properties.LoggingConfiguration.DestinationBucketName.Ref];
    expect(logs.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(logs.Properties.LifecycleConfiguration.Rules).toEqual([{ ExpirationInDays: 90, Status: 'Enabled' }]);
    expect(logs.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  test('normalized snapshot', () => {
    expect(normalizeTemplate(template)).toMatchSnapshot();
  });
});

describe('origin stack, referer-secret mode', () => {
  const template = originTemplate('refererSecret');
  const [originId, origin] = originBucketIn(template);
  const secretName = 's3alicdn/example/test-test-com/referer-secret';
  const reference = (field: string, version = '') =>
    `{{resolve:secretsmanager:${secretName}:SecretString:${field}${version ? `::${version}` : ''}}}`;

  test('ACL flags on, public-policy flags off', () => {
    expect(origin.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
  });

  test('the stack does not create the secret: the deploy command does, with both fields', () => {
    expect(Object.values<any>(template.Resources).filter((resource) => resource.Type === 'AWS::SecretsManager::Secret')).toEqual([]);
  });

  test('the policy allows GetObject only on an exact match with the current or previous value, through dynamic references', () => {
    expect(policyOf(template, originId).Properties.PolicyDocument.Statement[1]).toEqual({
      Sid: STATEMENT_IDS.allowCdnByRefererSecret,
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:GetObject',
      Resource: objectsArn(originId),
      Condition: { StringEquals: { 'aws:Referer': [reference('current'), reference('previous')] } },
    });
  });

  test('the deploy command pins the secret version, so a rotated value changes the template and reaches the policy', () => {
    const pinned = originTemplate('refererSecretPinned');
    const version = 'a1b2c3d4-1111-2222-3333-444455556666';
    expect(policyOf(pinned, originBucketIn(pinned)[0]).Properties.PolicyDocument.Statement[1].Condition).toEqual({
      StringEquals: { 'aws:Referer': [reference('current', version), reference('previous', version)] },
    });
  });

  test('outputs name the secret, never its value', () => {
    expect(template.Outputs[ORIGIN_STACK_OUTPUTS.refererSecretArn].Value).toEqual({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:ap-northeast-2:', { Ref: 'AWS::AccountId' }, `:secret:${secretName}`],
      ],
    });
  });
});
