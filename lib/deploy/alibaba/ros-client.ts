import RosClient from '@alicloud/ros20190910';
import { AlibabaClientOptions, buildAlibabaClientConfig } from './client-config';

export { RosClient };
export type RosClientOptions = AlibabaClientOptions;

/**
 * The official ROS (2019-09-10) client. Retries are not configured here: `withRetry` wraps each call instead, so a
 * retry can name the stack and the action, and tests can inject the sleep.
 */
export function createRosClient(opts: RosClientOptions): RosClient {
  return new RosClient(buildAlibabaClientConfig(opts));
}
