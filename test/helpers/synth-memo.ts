import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StageConfig } from '../../lib/config/resolve-stage';
import {
  DEFAULT_AWS_OUTDIR,
  DEFAULT_ROS_OUTDIR,
  type SynthOptions,
  type SynthResult,
  synthesizeStage,
} from '../../lib/synth/synthesize-stage';
import { templatesIn } from '../../lib/synth/template-files';
import { SYNTH_CACHE_ENV } from './test-variants';

/**
 * `synthesizeStage`, remembered across the test files of one run.
 *
 * The deploy, diff, destroy and rotate tests synthesize the same few stages dozens of times, and every jest test file
 * has its own module registry, so each one would start CDK's CloudFormation validation engine (about 1.4 s inside a
 * 9 MB WebAssembly module) again. Synth is a pure function of the stage, the CDK context, the site selection and the
 * limits, so the first call
 * for an input runs the real `synthesizeStage` and keeps what it wrote; later calls for the same input get byte-equal
 * copies. A failing synth is never remembered: it throws again each time.
 */
export function memoizedSynthesizeStage(stage: StageConfig, options: SynthOptions = {}): SynthResult {
  const projectDir = options.projectDir ?? process.cwd();
  const awsOutdir = path.resolve(projectDir, options.awsOutdir ?? DEFAULT_AWS_OUTDIR);
  const rosOutdir = path.resolve(projectDir, options.rosOutdir ?? DEFAULT_ROS_OUTDIR);
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        stage,
        context: options.awsContext ?? {},
        cdnCredentialVersions: options.cdnCredentialVersions ?? {},
        rosOnly: options.rosOnly ?? false,
        sites: options.siteIds ?? [],
        limits: options.limits ?? null,
      }),
    )
    .digest('hex')
    .slice(0, 32);
  const entry = path.join(memoDir(), key);

  if (!fs.existsSync(entry)) {
    const result = synthesizeStage(stage, options);
    // Written aside and renamed into place, so the other jest worker never sees half an entry.
    const partial = `${entry}.partial-${process.pid}`;
    // A ROS-only synth leaves the AWS assembly alone, so only its ROS half is remembered and restored.
    if (!options.rosOnly) fs.cpSync(result.awsOutdir, path.join(partial, 'aws'), { recursive: true });
    fs.cpSync(result.rosOutdir, path.join(partial, 'ros'), { recursive: true });
    try {
      fs.renameSync(partial, entry);
    } catch {
      fs.rmSync(partial, { recursive: true, force: true }); // the other worker got there first with the same bytes
    }
    return result;
  }
  if (!options.rosOnly) replaceWithCopy(path.join(entry, 'aws'), awsOutdir);
  replaceWithCopy(path.join(entry, 'ros'), rosOutdir);
  return { awsOutdir, rosOutdir, awsTemplates: templatesIn(awsOutdir), rosTemplates: templatesIn(rosOutdir) };
}

let fallbackDir: string | undefined;

function memoDir(): string {
  const runDir = process.env[SYNTH_CACHE_ENV];
  if (runDir) {
    const dir = path.join(runDir, 'memo');
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }
  // Without jest's global setup (a single file run by hand), remember within this process only.
  if (!fallbackDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-synth-memo-'));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    fallbackDir = dir;
  }
  return fallbackDir;
}

function replaceWithCopy(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
}
