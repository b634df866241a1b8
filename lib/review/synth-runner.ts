/**
 * How the review synthesizes one checkout. Kept in one function so the command stays in step with package.json and
 * tests can inject a stand-in.
 */

import * as os from 'node:os';
import { ReviewError } from './review-error';
import { outputTail, runProcess } from './run-process';

export interface SynthRequest {
  /** Project directory of the checkout (the head checkout, or the base worktree). */
  readonly dir: string;
  readonly stage: string;
  readonly side: 'base' | 'head';
}

/** Must leave `<dir>/cdk.out/*.template.json` and/or `<dir>/ros.out/*.template.json`, or throw. */
export type SynthFunction = (request: SynthRequest) => Promise<void>;

export function synthCommandLine(stage: string): { command: string; args: string[] } {
  return { command: 'npm', args: ['run', 'synth', '--', '--stage', stage] };
}

/**
 * Variables through which the SDKs, the CDK CLI and the GitHub OIDC client find credentials. Removing them keeps a
 * local review identical to the credential-less one in CI, and keeps synth from reaching an account.
 */
const CREDENTIAL_VARIABLE =
  /^(AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|SECURITY_TOKEN|PROFILE|ROLE_ARN|ROLE_SESSION_NAME|WEB_IDENTITY_TOKEN_FILE|CONTAINER_CREDENTIALS_\w+|CONTAINER_AUTHORIZATION_TOKEN\w*|SHARED_CREDENTIALS_FILE|CONFIG_FILE)|(ALIBABA_CLOUD|ALIBABACLOUD|ALICLOUD)_\w+|ACCESS_KEY_ID|ACCESS_KEY_SECRET|SECURITY_TOKEN|ACTIONS_ID_TOKEN_REQUEST_\w+)$/;

export function credentialFreeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (!CREDENTIAL_VARIABLE.test(key)) clean[key] = value;
  // Otherwise the AWS SDK would still read ~/.aws and try the EC2 instance metadata endpoint.
  clean.AWS_EC2_METADATA_DISABLED = 'true';
  clean.AWS_SHARED_CREDENTIALS_FILE = os.devNull;
  clean.AWS_CONFIG_FILE = os.devNull;
  return clean;
}

/** The real synth: `npm run synth -- --stage <stage>` in the checkout, with no credentials in its environment. */
export const npmSynth: SynthFunction = async ({ dir, stage, side }) => {
  const { command, args } = synthCommandLine(stage);
  const result = await runProcess(command, args, { cwd: dir, env: credentialFreeEnv(process.env), shellOnWindows: true });
  if (result.exitCode !== 0) {
    throw new ReviewError(
      `${command} ${args.join(' ')} failed for the ${side} checkout (exit ${result.exitCode}) in ${dir}:\n${outputTail(result)}`,
    );
  }
};
