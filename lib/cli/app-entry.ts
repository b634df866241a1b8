import { ConfigError } from '../config/config-error';
import { DEFAULT_STAGE, loadStage } from '../config/load-stage';
import type { StageConfig } from '../config/resolve-stage';

/**
 * Stage selection for the `cdk` / ROS entry points: S3ALICDN_STAGE, else `-c stage=<name>` (CDK passes context
 * through CDK_CONTEXT_JSON), else the project file's context (ros.json), else the example stage. Environment is read here and nowhere below bin/.
 */
export function stageFromEnvironment(env: NodeJS.ProcessEnv = process.env, fileContext: Record<string, unknown> = {}): string {
  if (env.S3ALICDN_STAGE) return env.S3ALICDN_STAGE;
  try {
    const context = JSON.parse(env.CDK_CONTEXT_JSON ?? '{}') as Record<string, unknown>;
    if (typeof context.stage === 'string') return context.stage;
  } catch {
    // Malformed context is the CDK CLI's problem to report; fall through to the other sources.
  }
  return typeof fileContext.stage === 'string' ? fileContext.stage : DEFAULT_STAGE;
}

/** Loads the stage or exits 1 with the config error, before any app (and so any output file) exists. */
export function loadStageOrExit(stageName: string): StageConfig {
  try {
    return loadStage(stageName);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(1);
  }
}
