import { STATEMENT_IDS } from '../../lib/aws/bucket-policy-statements';
import { ORIGIN_STACK_OUTPUTS } from '../../lib/aws/origin-stack';
import { exampleStageWith } from '../helpers/stage-fixtures';
import { normalizeTemplate, onlyResourceOfType, synthesizeForTest } from '../helpers/synthesized-templates';

const ORIGIN_STACK = 's3alicdn-example-test-test-com-origin';

function originTemplate(change?: (site: any) => void) {
  return synthesizeForTest(exampleStageWith(change)).aws[ORIGIN_STACK];
}

function bucketArn(logicalId: string) {
  return { 'Fn::GetAtt': [logicalId, 'Arn'] };
}
function objectsArn(logicalId: string) {
  return { 'Fn::Join': ['', [bucketArn(logicalId), '/*']] };
}

describe('origin stack, referer mode (the guide)', () => {
  const template = originTemplate((site) => (site.originAccess = { mode: 'referer' }));
  const bucket = onlyResourceOfType(template, 'AWS::S3::Bucket');
  const bucketId = Object.keys(template.Resources).find((id) => template.Resources[id] === bucket)!;
  const policy = onlyResourceOfType(template, 'AWS::S3::BucketPolicy');

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
    const template = originTemplate((site) => {
      site.originAccess = { mode: 'referer' };
      site.originUrlStyle = 'path';
    });
    expect(template.Outputs[ORIGIN_STACK_OUTPUTS.originHost].Value).toBe('s3.ap-northeast-2.amazonaws.com');
    expect(template.Outputs[ORIGIN_STACK_OUTPUTS.originPathPrefix].Value).toBe('/ali-cdn-test/');
  });
});
