#!/usr/bin/env node
// Entry point for `cdk synth|diff|deploy` (see cdk.json). Builds the AWS origin app for one stage.
import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { buildAwsApp } from '../lib/aws/aws-app';
import { alibabaSideReminder, awsContextForCdkCli, cdkCliInvocation, loadStageOrExit, stageFromEnvironment } from '../lib/cli/app-entry';
import { reportCommandFailure } from '../lib/cli/command-failure';

async function main(): Promise<void> {
  const stage = loadStageOrExit(stageFromEnvironment());
  const invocation = cdkCliInvocation();
  // The profile the cdk CLI was given (`--profile`) is not passed on to the app; the SDK clients take it from here.
  const profile = invocation?.profile;
  const context = await awsContextForCdkCli(stage, invocation, {
    secretsManager: (region) => new SecretsManagerClient({ region, profile }),
    iam: () => new IAMClient({ region: stage.sites[0].bucket.region, profile }),
  });
  // No CDK_DEFAULT_ACCOUNT here: `npm run deploy` pins stacks only to aws.account, and so must `cdk deploy`, or the
  // templates would differ (literal account ids instead of AWS::AccountId) and each deploy would undo the other.
  buildAwsApp(stage, { outdir: process.env.CDK_OUTDIR ?? 'cdk.out', context }).synth();
  if (invocation?.command === 'deploy') process.stderr.write(`\n${alibabaSideReminder(stage)}\n\n`);
}

main().catch((error: unknown) => {
  process.exitCode = reportCommandFailure(error);
});
