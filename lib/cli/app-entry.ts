import { DEFAULT_STAGE, loadStage } from '../config/load-stage';
import type { StageConfig } from '../config/resolve-stage';
import { reportCommandFailure } from './command-failure';

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

/**
 * Loads the stage or exits with the error's status (2 for a configuration error, as `npm run synth` does), before
 * any app (and so any output file) exists. `exit` is a seam for tests.
 */
export function loadStageOrExit(
  stageName: string,
  projectDir = process.cwd(),
  exit: (status: number) => never = process.exit,
): StageConfig {
  try {
    return loadStage(stageName, projectDir);
  } catch (error) {
    return exit(reportCommandFailure(error));
  }
}
