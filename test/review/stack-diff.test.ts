import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { diffStackSets } from '../../lib/review/diff-output-sets';
import { destructiveChanges } from '../../lib/review/review-model';
import { diffStack } from '../../lib/review/stack-diff';
import { AWS_STACK, baseTemplate, fixtureSet, resourceOf, ROS_STACK, setArg } from './fixture-templates';

const aws = (head: Record<string, unknown>) => diffStack({ stackName: AWS_STACK, cloud: 'aws', base: baseTemplate(AWS_STACK), head });
const ros = (head: Record<string, unknown>) => diffStack({ stackName: ROS_STACK, cloud: 'ros', base: baseTemplate(ROS_STACK), head });

describe('diffStack on AWS templates', () => {
  test('a bucket policy change is listed with before/after and flagged security-relevant', () => {
    const head = baseTemplate(AWS_STACK);
    const statement = resourceOf(head, 'OriginBucketPolicy2D9E4B71').Properties.PolicyDocument.Statement[1];
    statement.Condition = { StringLike: { 'aws:Referer': 'https://test.test.com/*' } };

    const review = aws(head);

    expect(review.status).toBe('modified');
    const policy = review.resources.find((resource) => resource.logicalId === 'OriginBucketPolicy2D9E4B71')!;
    expect(policy.kind).toBe('modified');
    expect(policy.properties).toEqual([
      expect.objectContaining({
        path: 'PolicyDocument.Statement[1].Condition',
        before: undefined,
        after: '{"StringLike":{"aws:Referer":"https://test.test.com/*"}}',
      }),
    ]);
    expect(review.security).toContainEqual(expect.objectContaining({ subject: 'OriginBucketPolicy2D9E4B71', reason: 'bucket policy' }));
  });

  test('Block Public Access and encryption changes on the bucket are security-relevant, tags are not', () => {
    const head = baseTemplate(AWS_STACK);
    const bucket = resourceOf(head, 'OriginBucket8F3A1C2E').Properties;
    bucket.PublicAccessBlockConfiguration.BlockPublicPolicy = false;
    bucket.Tags = [{ Key: 'project', Value: 'renamed' }];

    const review = aws(head);

    expect(review.security.map((note) => note.reason)).toEqual(['Block Public Access']);
    expect(review.resources[0].properties.map((property) => property.path)).toEqual([
      'PublicAccessBlockConfiguration.BlockPublicPolicy',
      'Tags[0].Value',
    ]);
  });

  test('replacement comes from cloudformation-diff for AWS types (a new BucketName replaces the bucket)', () => {
    const head = baseTemplate(AWS_STACK);
    resourceOf(head, 'OriginBucket8F3A1C2E').Properties.BucketName = 'ali-cdn-test-2';

    const bucket = aws(head).resources.find((resource) => resource.logicalId === 'OriginBucket8F3A1C2E')!;

    expect(bucket.impact).toBe('replace');
    expect(bucket.properties[0]).toMatchObject({ path: 'BucketName', impact: 'replace' });
  });

  test('a deleted resource is reported as removed and destroyed', () => {
    const head = baseTemplate(AWS_STACK);
    delete (head.Resources as Record<string, unknown>).CdnReaderSecret9A4C7E25;

    const review = aws(head);

    const secret = review.resources.find((resource) => resource.logicalId === 'CdnReaderSecret9A4C7E25')!;
    expect(secret).toMatchObject({ kind: 'removed', impact: 'destroy', resourceType: 'AWS::SecretsManager::Secret' });
    expect(review.security).toContainEqual(expect.objectContaining({ reason: 'secret', detail: 'removed' }));
    expect(destructiveChanges({ stacks: [review] }).map((destructiveChange) => destructiveChange.resource.logicalId)).toEqual([
      'CdnReaderSecret9A4C7E25',
    ]);
  });

  test('identical templates give an unchanged stack', () => {
    const review = aws(baseTemplate(AWS_STACK));
    expect(review).toMatchObject({ status: 'unchanged', resources: [], parameters: [], outputs: [], otherSections: [], security: [] });
  });

  test('a changed Condition is reported even though no resource changed', () => {
    const base = baseTemplate(AWS_STACK);
    base.Conditions = { IsProd: { 'Fn::Equals': ['example', 'prod'] } };
    const head = structuredClone(base);
    (head.Conditions as Record<string, any>).IsProd['Fn::Equals'][0] = 'prod';

    const review = diffStack({ stackName: AWS_STACK, cloud: 'aws', base, head });

    expect(review.status).toBe('modified');
    expect(review.otherSections).toEqual([{ name: 'Conditions.IsProd.Fn::Equals[0]', kind: 'modified', before: 'example', after: 'prod' }]);
  });

  test('construct-path metadata is noise, but a cdk-nag suppression change is shown', () => {
    const head = baseTemplate(AWS_STACK);
    const bucket = resourceOf(head, 'OriginBucket8F3A1C2E');
    bucket.Metadata['aws:cdk:path'] = 'S3AliCdnOrigin-example/Renamed/Resource';
    expect(aws(head).status).toBe('unchanged');

    bucket.Metadata.cdk_nag = { rules_to_suppress: [{ id: 'AwsSolutions-S1', reason: 'no access logs' }] };
    const [change] = aws(head).resources;
    expect(change.properties.map((property) => property.path)).toEqual(['(Metadata).cdk_nag']);
  });
});

describe('diffStack on ROS templates', () => {
  test('cloudformation-diff alone cannot tell a ROS replacement: it reports NO_CHANGE for ALIYUN types', () => {
    const head = baseTemplate(ROS_STACK);
    resourceOf(head, 'CdnDomain').Properties.Scope = 'global';
    const raw = fullDiff(baseTemplate(ROS_STACK), head);
    expect(raw.resources.get('CdnDomain').changeImpact).toBe(ResourceImpact.NO_CHANGE);

    const domain = ros(head).resources.find((resource) => resource.logicalId === 'CdnDomain')!;
    expect(domain).toMatchObject({ impact: 'replace', properties: [expect.objectContaining({ path: 'Scope', impact: 'replace' })] });
  });

  test('a DomainConfig function arg change is shown per function and flagged as a replacement', () => {
    const head = baseTemplate(ROS_STACK);
    setArg(head, 'CdnOriginConfig', 'forward_scheme', 'scheme_origin', 'follow');

    const review = ros(head);

    const config = review.resources.find((resource) => resource.logicalId === 'CdnOriginConfig')!;
    expect(config.impact).toBe('replace');
    expect(config.properties).toEqual([]);
    expect(config.functions).toEqual([
      { functionName: 'forward_scheme', kind: 'modified', args: [{ argName: 'scheme_origin', before: 'https', after: 'follow' }] },
    ]);
    expect(review.security).toEqual([
      expect.objectContaining({
        subject: 'CdnOriginConfig',
        reason: 'origin protocol',
        detail: 'function forward_scheme: scheme_origin changed',
      }),
    ]);
  });

  test('a cache-rule change replaces its DomainConfig but is not security-relevant', () => {
    const head = baseTemplate(ROS_STACK);
    setArg(head, 'CdnCacheConfig', 'filetype_based_ttl_set', 'ttl', '7200');

    const review = ros(head);

    expect(review.resources.map((resource) => [resource.logicalId, resource.impact])).toEqual([['CdnCacheConfig', 'replace']]);
    expect(review.security).toEqual([]);
  });

  test('editable properties update in place; properties the table does not know may replace', () => {
    const head = baseTemplate(ROS_STACK);
    resourceOf(head, 'DnsRecord').Properties.TTL = 300;
    resourceOf(head, 'CdnDomain').Properties.Tags = [{ Key: 'project', Value: 'other' }];

    const byId = Object.fromEntries(ros(head).resources.map((resource) => [resource.logicalId, resource.impact]));

    expect(byId).toEqual({ DnsRecord: 'update', CdnDomain: 'may-replace' });
  });

  test('a changed origin on the CDN domain is a security-relevant replacement', () => {
    const head = baseTemplate(ROS_STACK);
    resourceOf(head, 'CdnDomain').Properties.OriginServers[0].Port = 80;

    const review = ros(head);

    expect(review.resources[0]).toMatchObject({ logicalId: 'CdnDomain', impact: 'replace' });
    expect(review.resources[0].properties[0]).toMatchObject({ path: 'OriginServers[0].Port', before: '443', after: '80' });
    expect(review.security).toEqual([expect.objectContaining({ reason: 'CDN origin' })]);
  });

  test('an unknown ROS resource type may be replaced by any change', () => {
    const base = baseTemplate(ROS_STACK);
    (base.Resources as Record<string, unknown>).Bucket = { Type: 'ALIYUN::OSS::Bucket', Properties: { BucketName: 'a' } };
    const head = structuredClone(base);
    resourceOf(head, 'Bucket').Properties.BucketName = 'b';

    const review = diffStack({ stackName: ROS_STACK, cloud: 'ros', base, head });

    expect(review.resources).toEqual([expect.objectContaining({ logicalId: 'Bucket', impact: 'may-replace' })]);
  });

  test('removing the DNS record is a security-relevant deletion', () => {
    const head = baseTemplate(ROS_STACK);
    delete (head.Resources as Record<string, unknown>).DnsRecord;

    const review = ros(head);

    expect(review.resources).toEqual([expect.objectContaining({ logicalId: 'DnsRecord', kind: 'removed', impact: 'destroy' })]);
    expect(review.security).toEqual([expect.objectContaining({ reason: 'DNS record', detail: 'removed' })]);
  });
});

describe('diffStackSets', () => {
  test('stacks added or removed entirely are reported as such', () => {
    const [awsStack, rosStack] = fixtureSet('base');
    const added = diffStackSets([awsStack], [awsStack, rosStack]).stacks;
    expect(added.map((stackReview) => [stackReview.stackName, stackReview.status])).toEqual([
      [AWS_STACK, 'unchanged'],
      [ROS_STACK, 'added'],
    ]);
    expect(added[1].resources.every((resource) => resource.kind === 'added' && resource.impact === 'create')).toBe(true);

    const removed = diffStackSets([awsStack, rosStack], [rosStack]).stacks;
    const awsRemoved = removed.find((stackReview) => stackReview.stackName === AWS_STACK)!;
    expect(awsRemoved.status).toBe('removed');
    // The bucket is retained (DeletionPolicy Retain); the secret is deleted with the stack.
    const impacts = Object.fromEntries(awsRemoved.resources.map((resource) => [resource.logicalId, resource.impact]));
    expect(impacts).toMatchObject({ OriginBucket8F3A1C2E: 'orphan', CdnReaderSecret9A4C7E25: 'destroy' });
  });

  test('the fixture head set differs from base in the bucket policy and one CDN function', () => {
    const report = diffStackSets(fixtureSet('base'), fixtureSet('head'));
    const changed = report.stacks.flatMap((stack) => stack.resources.map((resource) => `${stack.stackName}/${resource.logicalId}`));
    expect(changed).toEqual([`${AWS_STACK}/OriginBucketPolicy2D9E4B71`, `${ROS_STACK}/CdnOriginConfig`]);
  });
});
