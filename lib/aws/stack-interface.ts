// The origin stack's interface with the deploy command: its output keys, defined once.
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
