// The origin stack's interface with the deploy command: its output keys, defined once.

/** Output keys the deploy command reads from `cdk deploy --outputs-file` and passes to the ROS stack. */
export const ORIGIN_STACK_OUTPUTS = {
  bucketName: 'BucketName',
  bucketRegion: 'BucketRegion',
  originHost: 'OriginHost',
  originPathPrefix: 'OriginPathPrefix',
  /** signed mode: where the reader's key pair is kept (an ARN, never the key). */
  readerSecretArn: 'ReaderSecretArn',
  readerUserName: 'ReaderUserName',
  /** referer-secret mode: where the referer secret is kept (an ARN, never the value). */
  refererSecretArn: 'RefererSecretArn',
} as const;
