// The origin stack's interface with the deploy and verify commands: its output keys and what they read from them,
// defined once.
import type { OriginUrlStyle } from '../config/naming';
import type { OriginAccessModeName } from '../origin-access/origin-access-mode';
import { REFERER_SECRET_OUTPUTS } from '../origin-access/referer-secret';
import { SIGNED_OUTPUTS } from '../origin-access/signed';

/**
 * Output keys the deploy command reads from `cdk deploy --outputs-file` and passes to the ROS stack. The modes'
 * own outputs are declared with their modes (`originOutputs`) and gathered here so the deploy finds every key.
 */
export const ORIGIN_STACK_OUTPUTS = {
  bucketName: 'BucketName',
  bucketRegion: 'BucketRegion',
  originHost: 'OriginHost',
  originPathPrefix: 'OriginPathPrefix',
  /** signed mode: where the reader's key pair is kept (an ARN, never the key). */
  ...SIGNED_OUTPUTS,
  /** referer-secret mode: where the referer secret is kept (an ARN, never the value). */
  ...REFERER_SECRET_OUTPUTS,
} as const;

interface OriginOutputsBase {
  readonly stackName: string;
  readonly bucketName: string;
  readonly bucketRegion: string;
  /** The S3 REST host the CDN fetches from and sends as Host/SNI. */
  readonly originHost: string;
  /** What precedes an object key in an origin URL: `/` (virtual-hosted) or `/<bucket>/` (path-style). */
  readonly originPathPrefix: string;
  readonly urlStyle: OriginUrlStyle;
}

/**
 * One origin stack's outputs, validated (lib/deploy/aws/origin-outputs.ts reads them): the four every mode has, by
 * name, and the mode's own outputs (its `originOutputs`), each under `originOutputField(key)`. Which of those a mode
 * has is the mode's to say, so the type does not list them per mode.
 */
export type OriginOutputs = OriginOutputsBase & { readonly mode: OriginAccessModeName } & ModeOutputValues;

/** A mode's own outputs by field name; a field the mode does not have is absent. */
export interface ModeOutputValues {
  readonly [field: string]: string | undefined;
}

/**
 * The field a validated output is kept under: its key with a lower-case first letter, the same rule the shared four
 * follow (BucketName → bucketName), so a mode's output needs no second name.
 */
export function originOutputField(key: string): string {
  return key.charAt(0).toLowerCase() + key.slice(1);
}

export type OriginOutputsByStack = Readonly<Record<string, OriginOutputs>>;
