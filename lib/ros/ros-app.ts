import * as ros from '@alicloud/ros-cdk-core';
import type { StageConfig } from '../config/resolve-stage';
import { CdnStack } from './cdn-stack';

/** Builds the ROS app for every site of a stage. The caller synthesizes it. */
export function buildRosApp(stage: StageConfig, outdir: string, credentialVersions: Readonly<Record<string, string>> = {}): ros.App {
  // No JavaScript stack traces in the manifest, for the same reasons as the AWS app (see APP_CONTEXT in lib/aws/aws-app.ts).
  const app = new ros.App({ outdir, stackTraces: false });
  for (const site of stage.sites) {
    new CdnStack(app, site.stackNames.cdn, { site, credentialVersion: credentialVersions[site.id] });
  }
  return app;
}
