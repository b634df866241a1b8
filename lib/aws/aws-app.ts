import { App } from 'aws-cdk-lib';
import type { StageConfig } from '../config/resolve-stage';
import { OriginStack } from './origin-stack';

/** Context that makes CDK's built-in CloudFormation validation fail synth on errors instead of printing warnings. */
export const STRICT_VALIDATION_CONTEXT = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
} as const;

export interface AwsAppOptions {
  readonly outdir: string;
  /** The AWS account to pin stacks to; unset keeps them environment-agnostic for credential-free synth. */
  readonly account?: string;
}

/** Builds the AWS CDK app for every site of a stage. The caller synthesizes it. */
export function buildAwsApp(stage: StageConfig, options: AwsAppOptions): App {
  const app = new App({ outdir: options.outdir, context: { ...STRICT_VALIDATION_CONTEXT } });
  for (const site of stage.sites) {
    new OriginStack(app, site.stackNames.origin, {
      site,
      stackName: site.stackNames.origin,
      env: { region: site.bucket.region, account: options.account ?? stage.aws.account },
      description: `S3 origin ${site.bucket.name} for Alibaba Cloud CDN domain ${site.domain}`,
    });
  }
  return app;
}
