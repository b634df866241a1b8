import { GetPublicAccessBlockCommand, type S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { awsErrorName, describeAwsError, isAccessDenied, isAwsError } from '../../aws/aws-errors';
import { originAccessMode, type OriginAccessModeName, type PreflightNeeds } from '../../origin-access';

/*
 * The AWS checks a deploy makes before it changes anything: whose credentials these are, and whether the account's
 * S3 Block Public Access settings would break the chosen origin-access mode. A problem found comes back as a verdict
 * the preflight prints rather than as an exception, so one run reports every problem.
 */

export type CredentialsCheckResult =
  { readonly ok: true; readonly accountId: string; readonly arn: string } | { readonly ok: false; readonly message: string };

export interface CheckAwsCredentialsOptions {
  readonly sts: Pick<STSClient, 'send'>;
  /** The profile in use (flag or AWS_PROFILE, read by the caller), only to make the fix concrete. */
  readonly profile?: string;
}

/**
 * Asks STS who we are. Failures become one line that says what to run; the SDK's own wording is used only for
 * errors we do not recognise, and is scrubbed of anything key-shaped.
 */
export async function checkAwsCredentials(options: CheckAwsCredentialsOptions): Promise<CredentialsCheckResult> {
  try {
    const identity = await options.sts.send(new GetCallerIdentityCommand({}));
    if (!identity.Account || !identity.Arn) {
      return {
        ok: false,
        message: 'AWS STS GetCallerIdentity returned no Account or Arn; cannot tell which account would be deployed to.',
      };
    }
    return { ok: true, accountId: identity.Account, arn: identity.Arn };
  } catch (error) {
    return { ok: false, message: credentialFailureLine(error, options.profile) };
  }
}

function credentialFailureLine(error: unknown, profile: string | undefined): string {
  const is = (...codes: string[]) => codes.some((code) => isAwsError(error, code));
  const message = error instanceof Error ? error.message : '';
  const loginFix = profile
    ? `run \`aws sso login --profile ${profile}\``
    : 'run `aws sso login --profile <name>` and set AWS_PROFILE=<name>';
  const profileFix = profile
    ? `check that profile "${profile}" is configured (\`aws configure list --profile ${profile}\`)`
    : 'set AWS_PROFILE to a configured profile (or pass --profile), or run `aws configure`';

  if (isNetworkError(error)) {
    return `network: could not reach AWS STS (${networkCode(error)}), so the credentials were not checked: check the network connection, DNS, a proxy (HTTPS_PROXY) or a firewall on the way to *.amazonaws.com, then run the command again.`;
  }
  if (is('TokenProviderError') || /\bSSO\b/.test(message)) {
    return `AWS SSO session expired or missing: ${loginFix}.`;
  }
  if (is('CredentialsProviderError')) {
    return `No usable AWS credentials found: ${profileFix}.`;
  }
  if (is('ExpiredToken', 'TokenRefreshRequired')) {
    return `AWS session credentials have expired: ${loginFix}, or refresh the session credentials you exported.`;
  }
  if (is('InvalidClientTokenId', 'UnrecognizedClient', 'SignatureDoesNotMatch')) {
    return `AWS rejected the credentials (${awsErrorName(error)}): the access key is unknown, deactivated or its secret is wrong; ${profileFix}.`;
  }
  return `Could not verify AWS credentials (${describeAwsError(error)}): ${profileFix}.`;
}

// Node's socket and DNS error codes, which the SDK's HTTP handler passes through as `code` when no answer came back.
const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

function networkCode(error: unknown): string {
  const { code, cause, message } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
  for (const candidate of [code, cause?.code]) if (typeof candidate === 'string' && NETWORK_CODES.has(candidate)) return candidate;
  // The SDK wraps a thrown value that is not an Error of its own realm ("AWS SDK error wrapper for Error: connect
  // ECONNREFUSED ..."), keeping only the text; the socket code is still in it.
  const quoted = typeof message === 'string' ? /\b(E[A-Z_]{4,})\b/.exec(message)?.[1] : undefined;
  if (quoted && NETWORK_CODES.has(quoted)) return quoted;
  return awsErrorName(error);
}

/** No answer from AWS at all: a DNS lookup, connection or timeout failure (the SDK's TimeoutError included). */
export function isNetworkError(error: unknown): boolean {
  return NETWORK_CODES.has(networkCode(error)) || isAwsError(error, 'TimeoutError');
}

/** The account-level S3 Block Public Access settings; absent flags count as off, as S3 treats them. */
export interface AccountBlockPublicAccessSettings {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

export interface PreflightVerdict {
  readonly ok: boolean;
  readonly message: string;
  /** What the user should do; present whenever `ok` is false. */
  readonly fix?: string;
}

export interface AccountBlockPublicAccessVerdict extends PreflightVerdict {
  /** The settings read from the account; absent when they were not read (the mode needs none off, or the read failed). */
  readonly settings?: AccountBlockPublicAccessSettings;
}

export interface CheckAccountBlockPublicAccessOptions {
  readonly s3control: Pick<S3ControlClient, 'send'>;
  readonly accountId: string;
  readonly mode: OriginAccessModeName;
}

const ALL_OFF: AccountBlockPublicAccessSettings = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

export const ACCOUNT_BPA_READ_PERMISSION = 's3:GetAccountPublicAccessBlock';

type AccountFlag = PreflightNeeds['accountBlockPublicAccessOff'][number];

/** The flags as the S3 API and console name them. */
const FLAG_NAMES: Readonly<Record<keyof AccountBlockPublicAccessSettings, string>> = {
  blockPublicAcls: 'BlockPublicAcls',
  ignorePublicAcls: 'IgnorePublicAcls',
  blockPublicPolicy: 'BlockPublicPolicy',
  restrictPublicBuckets: 'RestrictPublicBuckets',
};

/** What each flag a mode needs off does to that mode when it is on. */
const FLAG_PROBLEMS: Readonly<Record<AccountFlag, (mode: string) => string>> = {
  blockPublicPolicy: (mode) =>
    `BlockPublicPolicy=true makes S3 reject the ${mode} bucket policy (it is public to S3 because it allows Principal "*" on aws:Referer), so the deploy fails with 403 Access Denied at PutBucketPolicy.`,
  restrictPublicBuckets: () =>
    `RestrictPublicBuckets=true blocks all anonymous access granted by a public bucket policy: the stack deploys, but every CDN fetch gets 403.`,
};

/**
 * Preflight for a mode whose bucket policy S3 classifies as public (the referer modes: `Principal: "*"` conditioned on
 * `aws:Referer`): account-level Block Public Access either rejects it at deploy (BlockPublicPolicy) or silently turns
 * every CDN fetch into a 403 (RestrictPublicBuckets). The mode lists the flags that must be off; synth cannot see
 * account state, hence an API read before `cdk deploy`.
 */
export async function checkAccountBlockPublicAccess(
  options: CheckAccountBlockPublicAccessOptions,
): Promise<AccountBlockPublicAccessVerdict> {
  const { s3control, accountId } = options;
  if (!/^\d{12}$/.test(accountId)) {
    throw new Error(`accountId "${accountId}" is not a 12-digit AWS account id.`);
  }
  const { name: mode, preflight } = originAccessMode(options.mode);
  const mustBeOff = preflight.accountBlockPublicAccessOff;
  if (mustBeOff.length === 0) {
    return {
      ok: true,
      message: `Account-level S3 Block Public Access does not affect ${mode} mode: its bucket stays private and needs no public policy.`,
    };
  }

  let settings: AccountBlockPublicAccessSettings;
  try {
    settings = await readAccountSettings(s3control, accountId);
  } catch (error) {
    if (isAccessDenied(error)) {
      return {
        ok: false,
        message: `Cannot read the account-level S3 Block Public Access settings of account ${accountId}: access denied.`,
        fix: `Grant the deploying identity the IAM permission ${ACCOUNT_BPA_READ_PERMISSION} (the ${mode} mode needs this check), or use originAccess mode "signed".`,
      };
    }
    return {
      ok: false,
      message: `Cannot read the account-level S3 Block Public Access settings of account ${accountId}: ${describeAwsError(error)}`,
      fix: `Check network access to S3 Control and retry; the ${mode} mode cannot be deployed safely without this check.`,
    };
  }

  const problems = mustBeOff.filter((flag) => settings[flag]).map((flag) => FLAG_PROBLEMS[flag](mode));
  if (problems.length === 0) {
    return {
      ok: true,
      message: `Account ${accountId} allows the public bucket policy that ${mode} mode needs (${mustBeOff.map((flag) => `${FLAG_NAMES[flag]}=false`).join(', ')}).`,
      settings,
    };
  }
  return {
    ok: false,
    message: `Account ${accountId} has S3 Block Public Access settings that break ${mode} mode. ${problems.join(' ')}`,
    fix: accountFix(accountId, settings, mustBeOff),
    settings,
  };
}

async function readAccountSettings(s3control: Pick<S3ControlClient, 'send'>, accountId: string): Promise<AccountBlockPublicAccessSettings> {
  try {
    const response = await s3control.send(new GetPublicAccessBlockCommand({ AccountId: accountId }));
    const config = response.PublicAccessBlockConfiguration ?? {};
    return {
      blockPublicAcls: config.BlockPublicAcls === true,
      ignorePublicAcls: config.IgnorePublicAcls === true,
      blockPublicPolicy: config.BlockPublicPolicy === true,
      restrictPublicBuckets: config.RestrictPublicBuckets === true,
    };
  } catch (error) {
    // S3 Control answers 404 with this code when the account never had a configuration: that means all off.
    if (isAwsError(error, 'NoSuchPublicAccessBlockConfiguration')) return ALL_OFF;
    throw error;
  }
}

function accountFix(accountId: string, settings: AccountBlockPublicAccessSettings, mustBeOff: readonly AccountFlag[]): string {
  // Keep whatever protection the account has; only the flags the mode needs off must go.
  const flags = (Object.keys(FLAG_NAMES) as (keyof AccountBlockPublicAccessSettings)[])
    .map((flag) => `${FLAG_NAMES[flag]}=${(mustBeOff as readonly string[]).includes(flag) ? false : settings[flag]}`)
    .join(',');
  return [
    'Either switch originAccess to "signed" (recommended: the bucket stays private and account BPA can stay on),',
    `or turn off ${mustBeOff.map((flag) => FLAG_NAMES[flag]).join(' and ')} for the whole account (this affects every bucket in it):`,
    `aws s3control put-public-access-block --account-id ${accountId} --public-access-block-configuration ${flags}`,
    `(console: S3 > Block Public Access settings for this account > Edit > clear the matching "bucket or access point policies" box${mustBeOff.length === 1 ? '' : 'es'}).`,
    'If an AWS Organizations S3 policy manages these settings, that command returns 403 and the change must be made in the organization policy.',
  ].join(' ');
}

/**
 * The bootstrap qualifier CDK uses unless `@aws-cdk/core:bootstrapQualifier` says otherwise
 * (aws-cdk-lib `DefaultStackSynthesizer.DEFAULT_QUALIFIER`; this project sets no other).
 */
export const DEFAULT_BOOTSTRAP_QUALIFIER = 'hnb659fds';
/**
 * The bootstrap template version the stacks synthesized by aws-cdk-lib 2 need to deploy: each template carries a
 * `CheckBootstrapVersion` rule that fails on versions 1-5 (aws-cdk-lib `MIN_BOOTSTRAP_STACK_VERSION`).
 */
export const MIN_BOOTSTRAP_VERSION = 6;

export function bootstrapVersionParameter(qualifier = DEFAULT_BOOTSTRAP_QUALIFIER): string {
  return `/cdk-bootstrap/${qualifier}/version`;
}

export interface CheckCdkBootstrapOptions {
  /** An SSM client for `region`: the version parameter is regional, as the bootstrap stack is. */
  readonly ssm: Pick<SSMClient, 'send'>;
  readonly accountId: string;
  readonly region: string;
  readonly qualifier?: string;
}

/**
 * `cdk deploy` needs the environment (account and region) to be bootstrapped: the CDKToolkit stack holds the asset
 * bucket and the deploy roles, and records its template version in the SSM parameter
 * `/cdk-bootstrap/<qualifier>/version` (CDK Developer Guide, "AWS CDK bootstrapping" and `cdk bootstrap`). Without
 * it, cdk fails only after synth with "SSM parameter ... not found. Has the environment been bootstrapped?".
 * Reading the parameter first turns that into a preflight line with the exact command to run.
 */
export async function checkCdkBootstrap(options: CheckCdkBootstrapOptions): Promise<PreflightVerdict> {
  const { accountId, region } = options;
  const parameter = bootstrapVersionParameter(options.qualifier);
  const environment = `aws://${accountId}/${region}`;
  const bootstrapCommand = `npx cdk bootstrap ${environment}`;
  let value: string | undefined;
  try {
    const response = await options.ssm.send(new GetParameterCommand({ Name: parameter }));
    value = response.Parameter?.Value;
  } catch (error) {
    if (isAwsError(error, 'ParameterNotFound')) {
      return {
        ok: false,
        message: `${environment} is not CDK-bootstrapped: the SSM parameter ${parameter} does not exist in ${region}.`,
        fix: `run \`${bootstrapCommand}\` once with credentials for account ${accountId} (it creates the CDKToolkit stack), then run the command again.`,
      };
    }
    if (isNetworkError(error)) {
      return {
        ok: false,
        message: `network: could not reach AWS Systems Manager in ${region} (${networkCode(error)}), so the CDK bootstrap was not checked.`,
        fix: 'check the network connection, DNS, a proxy (HTTPS_PROXY) or a firewall on the way to *.amazonaws.com, then run the command again.',
      };
    }
    if (isAccessDenied(error)) {
      return {
        ok: false,
        message: `cannot read the CDK bootstrap version ${parameter} in ${region}: access denied.`,
        fix: `grant the deploying identity ssm:GetParameter on arn:aws:ssm:${region}:${accountId}:parameter${parameter} (cdk deploy reads it too).`,
      };
    }
    return {
      ok: false,
      message: `cannot read the CDK bootstrap version ${parameter} in ${region}: ${describeAwsError(error)}`,
      fix: 'check the credentials and the network, then run the command again.',
    };
  }
  const version = Number(value);
  if (!Number.isInteger(version) || version < MIN_BOOTSTRAP_VERSION) {
    return {
      ok: false,
      message: `${environment} is bootstrapped with version ${value ?? '(none)'}, older than the version ${MIN_BOOTSTRAP_VERSION} these stacks need.`,
      fix: `run \`${bootstrapCommand}\` to update the CDKToolkit stack, then run the command again.`,
    };
  }
  return { ok: true, message: `${environment} is bootstrapped (version ${version}).` };
}
