#!/usr/bin/env node
/**
 * One-time bootstrap of the AWS identity GitHub Actions deploys with. Inputs come from CDK context (-c key=value)
 * or, when a key is not given, from CI_IDENTITY_<KEY> environment variables. See docs/ci-setup.md.
 */

import { App } from 'aws-cdk-lib';
import { CiIdentityConfigError, type CiIdentityInputs, ciIdentityConfigFromInputs } from '../lib/ci-identity/ci-identity-config';
import { GithubOidcDeployRoleStack } from '../lib/ci-identity/github-oidc-deploy-role-stack';
import { reportCommandFailure } from '../lib/cli/command-failure';

const app = new App();
const input = (key: keyof CiIdentityInputs): string | undefined => {
  const fromContext: unknown = app.node.tryGetContext(key);
  if (fromContext !== undefined) return String(fromContext);
  return process.env[`CI_IDENTITY_${key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`];
};

function readConfig() {
  try {
    return ciIdentityConfigFromInputs({
      repo: input('repo'),
      environment: input('environment'),
      branch: input('branch'),
      oidcProviderArn: input('oidcProviderArn'),
      buckets: input('buckets'),
      secretPrefix: input('secretPrefix'),
      qualifier: input('qualifier'),
      roleName: input('roleName'),
    });
  } catch (error) {
    // A plain message: the stack trace of a validation error only hides the list of fixes.
    if (error instanceof CiIdentityConfigError) process.exit(reportCommandFailure(error));
    throw error;
  }
}

const config = readConfig();

new GithubOidcDeployRoleStack(app, 'S3AliCdnCiIdentity', {
  config,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: `GitHub Actions OIDC deploy role for ${config.repository}`,
});
