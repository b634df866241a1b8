import type { OriginAccessMode } from '../../lib/origin-access';
import { CDN_STACK_PARAMETERS } from '../../lib/ros/stack-interface';
import { templatesFor } from './synthesized-templates';
import type { TestVariant } from './test-variants';

/**
 * Both sides of one origin-access mode in the example stage's synthesized templates (synthesized once per run by the
 * global setup): what the mode put into the origin template and into the CDN template.
 */
export interface ModeTemplates {
  readonly origin: any;
  readonly cdn: any;
  /** The origin bucket (not the access-log bucket). */
  readonly bucket: any;
  readonly bucketLogicalId: string;
  /** The origin bucket's policy statements, in template order. */
  readonly bucketStatements: any[];
  /** The functions of the CDN stack's origin-auth group, as the template renders them. */
  readonly cdnAuthFunctions: any[];
  /** Names of the CDN template's NoEcho parameters. */
  readonly noEchoParameters: string[];
}

export function modeTemplates(variant: TestVariant): ModeTemplates {
  const { aws, ros } = templatesFor(variant);
  const origin = aws['s3alicdn-example-test-test-com-origin'];
  const cdn = ros['s3alicdn-example-test-test-com-cdn'];
  const [bucketLogicalId, bucket] = Object.entries<any>(origin.Resources).find(
    ([, resource]) => resource.Type === 'AWS::S3::Bucket' && resource.Properties.BucketName === 'ali-cdn-test',
  )!;
  const policy = Object.values<any>(origin.Resources).find(
    (resource) => resource.Type === 'AWS::S3::BucketPolicy' && resource.Properties.Bucket.Ref === bucketLogicalId,
  );
  return {
    origin,
    cdn,
    bucket,
    bucketLogicalId,
    bucketStatements: policy.Properties.PolicyDocument.Statement,
    cdnAuthFunctions: cdn.Resources.OriginAuthConfig.Properties.FunctionList,
    noEchoParameters: Object.entries<any>(cdn.Parameters ?? {})
      .filter(([, parameter]) => parameter.NoEcho === true)
      .map(([name]) => name),
  };
}

/** A mode's CDN functions as the template renders them, fed with `{Ref: <parameter>}` as the CDN stack feeds them. */
export function renderedAuthFunctions(mode: OriginAccessMode, site: any): any[] {
  const ref = (name: string) => ({ Ref: name }) as any;
  return mode
    .cdnAuthFunctions({
      site,
      bucketName: ref(CDN_STACK_PARAMETERS.bucketName),
      bucketRegion: ref(CDN_STACK_PARAMETERS.bucketRegion),
      secretParameters: Object.fromEntries(mode.rosSecretParameters.map(({ name }) => [name, ref(name)])),
    })
    .map((fn) => ({
      FunctionName: fn.functionName,
      FunctionArgs: fn.functionArgs.map((arg) => ({ ArgName: arg.argName, ArgValue: arg.argValue })),
    }));
}

/** The template's rendering of Block Public Access flags. */
export function renderedBlockPublicAccess(mode: OriginAccessMode): Record<string, boolean> {
  const flags = mode.blockPublicAccess;
  return {
    BlockPublicAcls: flags.blockPublicAcls,
    IgnorePublicAcls: flags.ignorePublicAcls,
    BlockPublicPolicy: flags.blockPublicPolicy,
    RestrictPublicBuckets: flags.restrictPublicBuckets,
  };
}
