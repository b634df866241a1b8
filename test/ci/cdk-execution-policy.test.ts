/**
 * docs/cdk-execution-policy.json is the managed policy docs/ci-setup.md recommends for `cdk bootstrap
 * --cloudformation-execution-policies` instead of the default AdministratorAccess. This checks it against what the
 * synthesized AWS stacks of every test variant contain: every resource type must be known here, and CloudFormation
 * must be allowed the actions that type's create/update/delete need, on the ARN that resource will have.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_PREFIX } from '../../lib/config/naming';
import { templatesFor } from '../helpers/synthesized-templates';
import { TEST_VARIANTS, type TestVariant } from '../helpers/test-variants';

const ACCOUNT = '123456789012';
const REGION = 'ap-northeast-2';
const QUALIFIER = 'hnb659fds';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}
const policyText = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'cdk-execution-policy.json'), 'utf8');

/** The policy as a user fills it in for one stage: its bucket(s) and hosted zone. */
function filledPolicy(buckets: string[], hostedZoneIds: string[]): Statement[] {
  const statements: Statement[] = JSON.parse(policyText.replaceAll('<account>', ACCOUNT).replaceAll('<qualifier>', QUALIFIER)).Statement;
  const expand = (resource: string): string[] => {
    if (resource.includes('<bucket>')) return buckets.map((bucket) => resource.replace('<bucket>', bucket));
    if (resource.includes('<hosted-zone-id>')) return hostedZoneIds.map((id) => resource.replace('<hosted-zone-id>', id));
    return [resource];
  };
  return statements.map((statement) => ({ ...statement, Resource: [statement.Resource].flat().flatMap(expand) }));
}

const globMatches = (pattern: string, value: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`, 'i').test(value);

function allows(policy: Statement[], action: string, resource: string): boolean {
  return policy.some(
    (statement) =>
      statement.Effect === 'Allow' &&
      [statement.Action].flat().some((pattern) => globMatches(pattern, action)) &&
      [statement.Resource].flat().some((pattern) => globMatches(pattern, resource)),
  );
}

/**
 * What CloudFormation calls for each resource type this project declares (the handler permissions of the types'
 * resource schemas, trimmed to the properties we set), and the ARN it calls them on. A name CloudFormation generates
 * starts with the stack name, which starts with the project prefix.
 */
const generated = (stack: string) => `${stack.toLowerCase()}-generated-1a2b3c`;
const REQUIRED: Record<string, (resource: any, stack: string, template: any) => { actions: string[]; arn: string }[]> = {
  'AWS::S3::Bucket': (resource, stack) => [
    {
      arn: `arn:aws:s3:::${resource.Properties?.BucketName ?? generated(stack)}`,
      actions: [
        's3:CreateBucket',
        's3:DeleteBucket',
        's3:ListBucket',
        's3:GetBucketLocation',
        's3:PutBucketTagging',
        's3:PutBucketVersioning',
        's3:PutBucketPublicAccessBlock',
        's3:PutBucketOwnershipControls',
        's3:PutBucketLogging',
        's3:PutEncryptionConfiguration',
        's3:GetEncryptionConfiguration',
        's3:PutLifecycleConfiguration',
        's3:GetLifecycleConfiguration',
      ],
    },
  ],
  'AWS::S3::BucketPolicy': (resource, stack, template) => {
    const bucketId = resource.Properties.Bucket.Ref;
    const bucket = template.Resources[bucketId].Properties?.BucketName ?? generated(stack);
    return [{ arn: `arn:aws:s3:::${bucket}`, actions: ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'] }];
  },
  'AWS::IAM::User': (resource, stack) => [
    {
      arn: `arn:aws:iam::${ACCOUNT}:user/${resource.Properties?.UserName ?? `${stack}-ReaderUser-1A2B3C`}`,
      actions: [
        'iam:CreateUser',
        'iam:GetUser',
        'iam:DeleteUser',
        'iam:TagUser',
        'iam:UntagUser',
        'iam:ListUserTags',
        'iam:ListGroupsForUser',
      ],
    },
  ],
  'AWS::IAM::Policy': (resource, stack) =>
    (resource.Properties.Users ?? []).map(() => ({
      arn: `arn:aws:iam::${ACCOUNT}:user/${stack}-ReaderUser-1A2B3C`,
      actions: ['iam:PutUserPolicy', 'iam:GetUserPolicy', 'iam:DeleteUserPolicy'],
    })),
  'AWS::SecretsManager::Secret': (resource) => [
    {
      arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${resource.Properties.Name}-AbCdEf`,
      actions: [
        'secretsmanager:CreateSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:DeleteSecret',
        'secretsmanager:TagResource',
      ],
    },
    ...(resource.Properties.GenerateSecretString ? [{ arn: '*', actions: ['secretsmanager:GetRandomPassword'] }] : []),
  ],
  'AWS::Route53::RecordSet': (resource) => [
    {
      arn: `arn:aws:route53:::hostedzone/${resource.Properties.HostedZoneId}`,
      actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:GetHostedZone'],
    },
    { arn: 'arn:aws:route53:::change/C0123456789', actions: ['route53:GetChange'] },
  ],
  'AWS::CDK::Metadata': () => [],
};

const stacks = (Object.keys(TEST_VARIANTS) as TestVariant[]).flatMap((variant) =>
  Object.entries<any>(templatesFor(variant).aws).map(([stack, template]) => ({ variant, stack, template })),
);

test('the stacks are the project-prefixed ones the policy scopes generated names to', () => {
  expect(stacks.length).toBeGreaterThan(0);
  for (const { stack } of stacks) expect(stack.startsWith(`${PROJECT_PREFIX}-`)).toBe(true);
});

test.each(stacks.map(({ variant, stack }) => [variant, stack]))(
  '%s %s: CloudFormation may do what the template needs',
  (variant, stackName) => {
    const { template } = stacks.find((candidate) => candidate.variant === variant && candidate.stack === stackName)!;
    const resources = Object.values<any>(template.Resources ?? {});
    const buckets = resources.filter((resource) => resource.Type === 'AWS::S3::Bucket' && resource.Properties?.BucketName);
    const zones = resources.filter((resource) => resource.Type === 'AWS::Route53::RecordSet');
    const policy = filledPolicy(
      buckets.map((bucket) => bucket.Properties.BucketName),
      zones.map((zone) => zone.Properties.HostedZoneId),
    );
    const missing: string[] = [];
    for (const resource of resources) {
      const required = REQUIRED[resource.Type];
      if (!required) {
        missing.push(`${resource.Type}: not covered by docs/cdk-execution-policy.json (add it there and here)`);
        continue;
      }
      for (const { actions, arn } of required(resource, stackName, template)) {
        for (const action of actions) if (!allows(policy, action, arn)) missing.push(`${resource.Type}: ${action} on ${arn}`);
      }
    }
    // The CheckBootstrapVersion rule resolves an SSM parameter with the execution role's permissions.
    if (template.Rules?.CheckBootstrapVersion) {
      const parameter = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/cdk-bootstrap/${QUALIFIER}/version`;
      if (!allows(policy, 'ssm:GetParameters', parameter)) missing.push(`bootstrap version check: ssm:GetParameters on ${parameter}`);
    }
    expect(missing).toEqual([]);
  },
);

test('the policy grants no service-wide action and no resource wildcard beyond GetRandomPassword and Route 53 change status', () => {
  const statements: Statement[] = JSON.parse(policyText).Statement;
  for (const statement of statements) {
    for (const action of [statement.Action].flat()) expect(action).not.toMatch(/^(\*|[a-z0-9-]+:\*)$/);
    const resources = [statement.Resource].flat();
    if (resources.includes('*')) expect(statement.Action).toBe('secretsmanager:GetRandomPassword');
  }
  const policy = filledPolicy(['ali-cdn-test'], ['Z0123456789ABCDEFGHIJ']);
  // What the policy must not reach: objects, other users and roles, other secrets.
  expect(allows(policy, 's3:GetObject', 'arn:aws:s3:::ali-cdn-test/index.html')).toBe(false);
  expect(allows(policy, 's3:PutBucketPolicy', 'arn:aws:s3:::someone-elses-bucket')).toBe(false);
  expect(allows(policy, 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/s3alicdn-admin`)).toBe(false);
  expect(allows(policy, 'iam:AttachUserPolicy', `arn:aws:iam::${ACCOUNT}:user/s3alicdn-reader`)).toBe(false);
  expect(allows(policy, 'iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/s3alicdn-reader`)).toBe(false);
  expect(allows(policy, 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:s3alicdn/x-AbCdEf`)).toBe(
    false,
  );
});
