import { PROJECT_PREFIX, VERIFY_PROBE_PREFIX } from '../config/naming';
/**
 * The AWS side of CI: GitHub's OIDC provider and the role the deploy workflow assumes. Deployed once by hand.
 * The role itself deploys nothing: CloudFormation changes go through the CDK bootstrap roles it may assume, so the
 * remaining permissions are only what the deploy tool calls directly (preflight, secrets for ROS parameters, verify).
 */

import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { AWS_STS_AUDIENCE, type CiIdentityConfig, GITHUB_OIDC_HOST, GITHUB_OIDC_ISSUER, trustedSubjects } from './ci-identity-config';

export interface GithubOidcDeployRoleStackProps extends StackProps {
  readonly config: CiIdentityConfig;
}

/** Reader users are named `<stack name>-ReaderUser...` by CloudFormation; stack names start with the project prefix. */
const READER_USER_PREFIX = `${PROJECT_PREFIX}-`;

export class GithubOidcDeployRoleStack extends Stack {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: GithubOidcDeployRoleStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const { config } = props;

    const provider = config.existingOidcProviderArn
      ? iam.OidcProviderNative.fromOidcProviderArn(this, 'GithubOidcProvider', config.existingOidcProviderArn)
      : new iam.OidcProviderNative(this, 'GithubOidcProvider', { url: GITHUB_OIDC_ISSUER, clientIds: [AWS_STS_AUDIENCE] });

    const subjects = trustedSubjects(config);
    this.role = new iam.Role(this, 'DeployRole', {
      roleName: config.roleName,
      description: `GitHub Actions deploy role for ${config.repository}`,
      maxSessionDuration: Duration.hours(1),
      // StringEquals, not StringLike: a subject is an exact environment or branch, never a pattern.
      assumedBy: new iam.OpenIdConnectPrincipal(provider, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: AWS_STS_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: subjects.length === 1 ? subjects[0] : subjects,
        },
      }),
      inlinePolicies: { Deploy: this.deployPolicy(config) },
    });

    new CfnOutput(this, 'DeployRoleArn', {
      value: this.role.roleArn,
      description: 'GitHub variable AWS_DEPLOY_ROLE_ARN',
    });
    new CfnOutput(this, 'GithubOidcProviderArn', { value: provider.oidcProviderArn });
  }

  private deployPolicy(config: CiIdentityConfig): iam.PolicyDocument {
    const { partition, account } = this;
    return new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'AssumeCdkBootstrapRoles',
          actions: ['sts:AssumeRole'],
          resources: [`arn:${partition}:iam::${account}:role/cdk-${config.cdkQualifier}-*`],
        }),
        new iam.PolicyStatement({
          // Neither action supports resource-level permissions.
          sid: 'IdentityAndAccountPublicAccessBlock',
          actions: ['sts:GetCallerIdentity', 's3:GetAccountPublicAccessBlock'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          // Read the origin secrets into ROS parameters; create and rotate the referer secret and the reader key
          // secret's value (lib/deploy/aws/reader-key.ts, referer-secret.ts), only under this project's name prefix.
          sid: 'ProjectSecrets',
          actions: [
            'secretsmanager:DescribeSecret',
            'secretsmanager:GetSecretValue',
            'secretsmanager:PutSecretValue',
            'secretsmanager:UpdateSecretVersionStage',
            'secretsmanager:CreateSecret',
          ],
          resources: [`arn:${partition}:secretsmanager:*:${account}:secret:${config.secretNamePrefix}*`],
        }),
        new iam.PolicyStatement({
          // Generating a referer secret value; the action has no resource-level permissions.
          sid: 'GenerateSecretValues',
          actions: ['secretsmanager:GetRandomPassword'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          // The signed-mode reader's access keys (first key, rotation). CloudFormation names the reader user after
          // its stack, so every reader user starts with the project prefix.
          sid: 'ReaderAccessKeys',
          actions: [
            'iam:ListAccessKeys',
            'iam:CreateAccessKey',
            'iam:UpdateAccessKey',
            'iam:DeleteAccessKey',
            'iam:ListUserTags',
            'iam:TagUser',
            'iam:UntagUser',
          ],
          resources: [`arn:${partition}:iam::${account}:user/${READER_USER_PREFIX}*`],
        }),
        new iam.PolicyStatement({
          sid: 'VerifyProbeObjects',
          actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
          resources: config.bucketNames.map((bucket) => `arn:${partition}:s3:::${bucket}/${VERIFY_PROBE_PREFIX}*`),
        }),
        // `npm run publish`: list the bucket, read heads and the manifest, upload (multipart included) and prune the
        // stage's buckets only.
        new iam.PolicyStatement({
          sid: 'PublishSiteContent',
          actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
          resources: config.bucketNames.map((bucket) => `arn:${partition}:s3:::${bucket}/*`),
        }),
        new iam.PolicyStatement({
          sid: 'PublishListBucket',
          actions: ['s3:ListBucket'],
          resources: config.bucketNames.map((bucket) => `arn:${partition}:s3:::${bucket}`),
        }),
      ],
    });
  }
}
