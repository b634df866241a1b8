import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ciIdentityConfigFromInputs, type CiIdentityInputs } from '../../lib/ci-identity/ci-identity-config';
import { GithubOidcDeployRoleStack } from '../../lib/ci-identity/github-oidc-deploy-role-stack';

const inputs: CiIdentityInputs = { repo: 'my-org/s3-alicdn', environment: 'prod', buckets: 'ali-cdn-test' };

function build(overrides: Partial<CiIdentityInputs> = {}): GithubOidcDeployRoleStack {
  return new GithubOidcDeployRoleStack(new App(), 'CiIdentity', {
    config: ciIdentityConfigFromInputs({ ...inputs, ...overrides }),
    env: { account: '123456789012', region: 'ap-northeast-2' },
  });
}

function synth(overrides: Partial<CiIdentityInputs> = {}): Template {
  return Template.fromStack(build(overrides));
}

function roleOf(template: Template): Record<string, any> {
  const roles = Object.values(template.findResources('AWS::IAM::Role'));
  expect(roles).toHaveLength(1);
  return roles[0].Properties;
}

describe('the deploy role trust', () => {
  test("trusts only GitHub OIDC tokens for sts.amazonaws.com from this repository's environment", () => {
    const trust = roleOf(synth()).AssumeRolePolicyDocument;
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: { Ref: expect.stringMatching(/^GithubOidcProvider/) } },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': 'repo:my-org/s3-alicdn:environment:prod',
          },
        },
      },
    ]);
  });

  test('creates the provider for the GitHub issuer with the STS audience', () => {
    synth().hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  test('environments and branches become exact subjects', () => {
    const trust = roleOf(synth({ environment: 'prod,staging', branch: 'main' })).AssumeRolePolicyDocument;
    expect(trust.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toEqual([
      'repo:my-org/s3-alicdn:environment:prod',
      'repo:my-org/s3-alicdn:environment:staging',
      'repo:my-org/s3-alicdn:ref:refs/heads/main',
    ]);
    expect(trust.Statement[0].Condition.StringLike).toBeUndefined();
  });

  test('reuses an existing provider instead of creating a second one', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const template = synth({ oidcProviderArn: arn });
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(roleOf(template).AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Federated: arn });
  });
});

describe('the deploy role permissions', () => {
  const statements = () => {
    const policies = roleOf(synth({ buckets: 'ali-cdn-test,ali-cdn-prod' })).Policies as Record<string, any>[];
    return policies.flatMap((policy) => policy.PolicyDocument.Statement as Record<string, any>[]);
  };
  const arn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, suffix]] });

  test('are exactly the least-privilege statements', () => {
    expect(statements()).toEqual([
      {
        Sid: 'AssumeCdkBootstrapRoles',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: arn(':iam::123456789012:role/cdk-hnb659fds-*'),
      },
      {
        Sid: 'IdentityAndAccountPublicAccessBlock',
        Effect: 'Allow',
        Action: ['sts:GetCallerIdentity', 's3:GetAccountPublicAccessBlock'],
        Resource: '*',
      },
      {
        Sid: 'ProjectSecrets',
        Effect: 'Allow',
        Action: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
          'secretsmanager:CreateSecret',
        ],
        Resource: arn(':secretsmanager:*:123456789012:secret:s3alicdn/*'),
      },
      { Sid: 'GenerateSecretValues', Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' },
      {
        Sid: 'ReaderAccessKeys',
        Effect: 'Allow',
        Action: [
          'iam:ListAccessKeys',
          'iam:CreateAccessKey',
          'iam:UpdateAccessKey',
          'iam:DeleteAccessKey',
          'iam:ListUserTags',
          'iam:TagUser',
          'iam:UntagUser',
        ],
        Resource: arn(':iam::123456789012:user/s3alicdn-*'),
      },
      {
        Sid: 'VerifyProbeObjects',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        Resource: [arn(':s3:::ali-cdn-test/verify-probe/*'), arn(':s3:::ali-cdn-prod/verify-probe/*')],
      },
      {
        Sid: 'PublishSiteContent',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        Resource: [arn(':s3:::ali-cdn-test/*'), arn(':s3:::ali-cdn-prod/*')],
      },
      {
        Sid: 'PublishListBucket',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: [arn(':s3:::ali-cdn-test'), arn(':s3:::ali-cdn-prod')],
      },
    ]);
  });

  test('contain no wildcard action', () => {
    const actions = statements().flatMap((statement) => [statement.Action].flat() as string[]);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  test('the stack has termination protection and outputs the role ARN for GitHub', () => {
    const stack = build();
    expect(stack.terminationProtection).toBe(true);
    Template.fromStack(stack).hasOutput('DeployRoleArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeployRole'), 'Arn'] } });
  });
});

describe('input validation', () => {
  test.each([
    [{ repo: 'my-org' }, 'repo "my-org" is not allowed: expected OWNER/REPO as on GitHub'],
    [{ repo: 'my-org/*' }, 'repo "my-org/*" is not allowed'],
    [{ repo: '' }, 'repo is required: the GitHub repository as OWNER/REPO'],
    [{ environment: 'prod*' }, 'environment "prod*" is not allowed'],
    [{ environment: '', branch: '' }, 'give at least one GitHub environment (-c environment=prod) or branch (-c branch=main)'],
    [{ branch: 'release/*' }, 'branch "release/*" is not allowed'],
    [{ buckets: '' }, "buckets is required: this project's bucket names"],
    [{ buckets: 'Bad_Bucket' }, 'bucket "Bad_Bucket" is not a valid S3 bucket name'],
    [{ secretPrefix: 's3-alicdn/*' }, 'secretPrefix "s3-alicdn/*" is not allowed'],
    [
      { oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/example.com' },
      'oidcProviderArn "arn:aws:iam::123456789012:oidc-provider/example.com" is not allowed',
    ],
    [{ qualifier: 'WAY-TOO-LONG-QUALIFIER' }, 'qualifier "WAY-TOO-LONG-QUALIFIER" is not a CDK bootstrap qualifier'],
  ])('%j is refused', (bad, message) => {
    expect(() => ciIdentityConfigFromInputs({ ...inputs, ...bad })).toThrow(message);
  });

  test('all problems are reported at once', () => {
    expect(() => ciIdentityConfigFromInputs({})).toThrow(
      "invalid CI identity configuration:\n- repo is required: the GitHub repository as OWNER/REPO, e.g. -c repo=my-org/s3-alicdn\n- give at least one GitHub environment (-c environment=prod) or branch (-c branch=main) that may assume the role\n- buckets is required: this project's bucket names, comma-separated, e.g. -c buckets=ali-cdn-test",
    );
  });
});
