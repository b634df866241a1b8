/**
 * Inputs of the one-time CI identity bootstrap, validated before anything is synthesized. A loose value here would
 * widen who may assume the deploy role (a `*` in a subject) or what it may touch, so every field is checked strictly.
 */

import { S3AlicdnError } from '../errors';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_OIDC_ISSUER = `https://${GITHUB_OIDC_HOST}`;
export const AWS_STS_AUDIENCE = 'sts.amazonaws.com';

export interface CiIdentityConfig {
  /** GitHub repository, `OWNER/REPO`. */
  readonly repository: string;
  /** GitHub environments whose jobs may assume the role (`repo:OWNER/REPO:environment:<env>`). */
  readonly environments: readonly string[];
  /** Branches whose jobs may assume the role without an environment (`...:ref:refs/heads/<branch>`). */
  readonly branches: readonly string[];
  /** Reuse the account's GitHub OIDC provider (there can be only one per URL) instead of creating it. */
  readonly existingOidcProviderArn?: string;
  /** This project's buckets: the role may write and delete only `verify-probe/*` in them. */
  readonly bucketNames: readonly string[];
  /** Secrets Manager name prefix of this project's secrets. */
  readonly secretNamePrefix: string;
  /** CDK bootstrap qualifier whose roles the deploy assumes. */
  readonly cdkQualifier: string;
  readonly roleName: string;
}

/** Raw strings as they come from `-c key=value` or the environment; lists are comma-separated. */
export interface CiIdentityInputs {
  readonly repo?: string;
  readonly environment?: string;
  readonly branch?: string;
  readonly oidcProviderArn?: string;
  readonly buckets?: string;
  readonly secretPrefix?: string;
  readonly qualifier?: string;
  readonly roleName?: string;
}

export const CI_IDENTITY_DEFAULTS = {
  secretPrefix: 's3alicdn/',
  qualifier: 'hnb659fds',
  roleName: 's3-alicdn-github-deploy',
} as const;

export class CiIdentityConfigError extends S3AlicdnError {
  constructor(readonly problems: readonly string[]) {
    super('CONFIG_INVALID', `invalid CI identity configuration:\n- ${problems.join('\n- ')}`);
  }
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');

const REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;
const BRANCH = /^(?!.*\.\.)[A-Za-z0-9._/-]{1,255}$/;
const BUCKET = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const SECRET_PREFIX = /^[A-Za-z0-9/_+=.@-]{1,200}$/;
const OIDC_PROVIDER_ARN = new RegExp(`^arn:aws[a-z-]*:iam::\\d{12}:oidc-provider/${GITHUB_OIDC_HOST.replace(/\./g, '\\.')}$`);
const QUALIFIER = /^[a-z0-9_-]{1,10}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

function check(problems: string[], ok: boolean, message: string): void {
  if (!ok) problems.push(message);
}

/** Collects every problem, so one run shows all fixes to make. */
export function ciIdentityConfigFromInputs(inputs: CiIdentityInputs): CiIdentityConfig {
  const problems: string[] = [];
  const repository = (inputs.repo ?? '').trim();
  check(
    problems,
    REPO.test(repository),
    repository === ''
      ? 'repo is required: the GitHub repository as OWNER/REPO, e.g. -c repo=my-org/s3-alicdn'
      : `repo ${JSON.stringify(repository)} is not allowed: expected OWNER/REPO as on GitHub, e.g. my-org/s3-alicdn (letters, digits, '-', and '.' or '_' in the name; no wildcards)`,
  );
  const environments = list(inputs.environment);
  for (const env of environments) {
    check(
      problems,
      ENVIRONMENT.test(env),
      `environment ${JSON.stringify(env)} is not allowed: use letters, digits, '.', '_' or '-' (no wildcards or ':')`,
    );
  }
  const branches = list(inputs.branch);
  for (const branch of branches) {
    check(
      problems,
      BRANCH.test(branch),
      `branch ${JSON.stringify(branch)} is not allowed: use a plain branch name such as main (no wildcards)`,
    );
  }
  check(
    problems,
    environments.length + branches.length > 0,
    'give at least one GitHub environment (-c environment=prod) or branch (-c branch=main) that may assume the role',
  );
  const bucketNames = list(inputs.buckets);
  check(
    problems,
    bucketNames.length > 0,
    "buckets is required: this project's bucket names, comma-separated, e.g. -c buckets=ali-cdn-test",
  );
  for (const bucket of bucketNames) {
    check(
      problems,
      BUCKET.test(bucket),
      `bucket ${JSON.stringify(bucket)} is not a valid S3 bucket name: 3-63 lower-case letters, digits, '.' or '-'`,
    );
  }
  const secretNamePrefix = inputs.secretPrefix ?? CI_IDENTITY_DEFAULTS.secretPrefix;
  check(
    problems,
    SECRET_PREFIX.test(secretNamePrefix),
    `secretPrefix ${JSON.stringify(secretNamePrefix)} is not allowed: 1-200 of letters, digits and / _ + = . @ - (no wildcards)`,
  );
  const existingOidcProviderArn = inputs.oidcProviderArn?.trim() || undefined;
  if (existingOidcProviderArn !== undefined) {
    check(
      problems,
      OIDC_PROVIDER_ARN.test(existingOidcProviderArn),
      `oidcProviderArn ${JSON.stringify(existingOidcProviderArn)} is not allowed: expected arn:aws:iam::<account>:oidc-provider/${GITHUB_OIDC_HOST}`,
    );
  }
  const cdkQualifier = inputs.qualifier ?? CI_IDENTITY_DEFAULTS.qualifier;
  check(
    problems,
    QUALIFIER.test(cdkQualifier),
    `qualifier ${JSON.stringify(cdkQualifier)} is not a CDK bootstrap qualifier: 1-10 of a-z, 0-9, '_' or '-'`,
  );
  const roleName = inputs.roleName ?? CI_IDENTITY_DEFAULTS.roleName;
  check(
    problems,
    ROLE_NAME.test(roleName),
    `roleName ${JSON.stringify(roleName)} is not a valid IAM role name: 1-64 of letters, digits and + = , . @ _ -`,
  );

  if (problems.length > 0) throw new CiIdentityConfigError(problems);
  return { repository, environments, branches, existingOidcProviderArn, bucketNames, secretNamePrefix, cdkQualifier, roleName };
}

/** The OIDC `sub` claims the role trusts. */
export function trustedSubjects(config: CiIdentityConfig): string[] {
  return [
    ...config.environments.map((env) => `repo:${config.repository}:environment:${env}`),
    ...config.branches.map((branch) => `repo:${config.repository}:ref:refs/heads/${branch}`),
  ];
}
