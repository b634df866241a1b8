import * as path from 'node:path';
import { ConfigError } from '../config/config-error';
import { errorMessage, exitCodeFor } from '../errors';
import { loadStage } from '../config/load-stage';
import { readRosProjectFile } from '../synth/ros-project-file';
import { synthesizeStage } from '../synth/synthesize-stage';

export interface SynthCommandOptions {
  readonly stage: string;
  readonly site?: string[];
  readonly awsOut: string;
  /** Default: ros.json's output folder. */
  readonly rosOut?: string;
  readonly quiet?: boolean;
}

/** `synth`: validate the stage, then synthesize both apps. Returns the process exit status (2 for a bad stage or flag). */
export function runSynth(options: SynthCommandOptions, projectDir = process.cwd()): number {
  const started = Date.now();
  try {
    const stage = loadStage(options.stage, projectDir);
    const result = synthesizeStage(stage, {
      projectDir,
      awsOutdir: options.awsOut,
      rosOutdir: options.rosOut ?? readRosProjectFile(projectDir).output,
      siteIds: options.site,
    });
    if (!options.quiet) {
      const rel = (file: string) => path.relative(projectDir, file);
      console.log(`Synthesized stage "${stage.stage}" in ${Date.now() - started} ms:`);
      for (const file of [...result.awsTemplates, ...result.rosTemplates]) console.log(`  ${rel(file)}`);
    }
    return 0;
  } catch (error) {
    // A ConfigError already names the file, the field, the value and what is allowed.
    console.error(error instanceof ConfigError ? error.message : `Synth failed: ${errorMessage(error)}`);
    return exitCodeFor(error);
  }
}
