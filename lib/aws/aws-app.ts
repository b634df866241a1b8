import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { StageConfig } from '../config/resolve-stage';
import { OriginStack } from './origin-stack';
import { Route53RecordStack } from './route53-record-stack';
import { useBaselineWasmCompiler } from './validation-engine-tuning';

/**
 * Context the app always runs with, whether started by `npm run synth` or by the cdk CLI:
 * - built-in CloudFormation validation fails synth on errors instead of printing warnings;
 * - server access logs are delivered through a bucket policy, so the log bucket can keep ACLs disabled;
 * - no JavaScript stack traces in the assembly metadata. Capturing one per construct costs synth time that grows with
 *   every site, and the traces hold absolute paths of the machine that synthesized, so two checkouts of the same
 *   commit would write different files. `CDK_DEBUG=true` still records them when debugging a construct.
 */
export const APP_CONTEXT = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  'aws:cdk:disable-stack-trace': true,
  'aws:cdk:disable-creation-stack-traces': true,
} as const;

/**
 * Context that wins over whatever the cdk CLI passes (`postCliContext`), so `npx cdk deploy` and `npm run deploy`
 * (which synthesizes in process) write the same template text. The CLI turns on construct-path metadata on every
 * resource and the CDKMetadata version-reporting resource (aws-cdk CLI `contextFromSettings`); a template that differs
 * between the two paths would be updated back and forth by each deploy.
 */
export const FINAL_APP_CONTEXT = {
  'aws:cdk:enable-path-metadata': false,
  'aws:cdk:enable-asset-metadata': false,
  'aws:cdk:version-reporting': false,
} as const;

export interface AwsAppOptions {
  readonly outdir: string;
  /** The AWS account to pin stacks to; unset keeps them environment-agnostic for credential-free synth. */
  readonly account?: string;
  /** Extra context, e.g. `s3alicdn:refererSecretVersion:<siteId>` set by the deploy command. */
  readonly context?: Record<string, string>;
}

/** Builds the AWS CDK app for every site of a stage. The caller synthesizes it. */
export function buildAwsApp(stage: StageConfig, options: AwsAppOptions): App {
  useBaselineWasmCompiler();
  const app = new App({ outdir: options.outdir, context: { ...APP_CONTEXT, ...options.context }, postCliContext: FINAL_APP_CONTEXT });
  for (const site of stage.sites) {
    const env = { region: site.bucket.region, account: options.account ?? stage.aws.account };
    new OriginStack(app, site.stackNames.origin, {
      site,
      stackName: site.stackNames.origin,
      env,
      description: `S3 origin ${site.bucket.name} for Alibaba Cloud CDN domain ${site.domain}`,
    });
    if (site.dns.provider === 'route53') {
      new Route53RecordStack(app, site.stackNames.route53, {
        site,
        stackName: site.stackNames.route53,
        env,
        description: `Route 53 CNAME ${site.domain} -> Alibaba Cloud CDN`,
      });
    }
  }
  // Rule packs run as validation plugins at app level: any unacknowledged finding fails synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}
