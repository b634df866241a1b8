/**
 * The `review` command: synthesize the head checkout and the base ref, diff the two output sets, and write the
 * pull-request markdown. Needs git and the project's own synth; no credentials, no network.
 */

import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stageConfigPath } from '../config/load-stage';
import { assertStageName, DEFAULT_STAGE } from '../config/stage-name';
import { diffStackSets } from './diff-output-sets';
import { addDetachedWorktree, headCommit, projectDirIn, projectPrefix, removeWorktree, resolveCommit } from './git-worktree';
import { loadOutputSet, OUTPUT_DIRS, type SynthesizedStack } from './output-set';
import { ReviewError } from './review-error';
import { type RenderContext, renderReviewFailure, renderReviewMarkdown } from './review-markdown';
import { destructiveChanges, hasChanges } from './review-model';
import { npmSynth, type SynthFunction } from './synth-runner';

export interface RunReviewOptions {
  /** Git ref to compare against, e.g. `origin/main`. */
  readonly base: string;
  /** @default the `S3ALICDN_STAGE` environment variable, else DEFAULT_STAGE (as `--stage` does) */
  readonly stage?: string;
  /** Markdown output, relative to `cwd`. @default 'review.md' */
  readonly out?: string;
  /** Exit code 1 when any resource would be replaced or deleted. @default false */
  readonly failOnDestructive?: boolean;
  /** Project directory of the head checkout. @default process.cwd() */
  readonly cwd?: string;
  /** @default npmSynth (`npm run synth -- --stage <stage>`) */
  readonly synth?: SynthFunction;
  /** Longest markdown to write; 0 for no limit. @default 60000 (fits a PR comment) */
  readonly maxLength?: number;
  /** Progress lines. @default write to stderr */
  readonly log?: (line: string) => void;
  /** Where `S3ALICDN_STAGE` is read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** The stage environment variable every command honours (lib/cli/options.ts `stageOption`). */
export const STAGE_ENV = 'S3ALICDN_STAGE';

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/**
 * The base worktree has no node_modules of its own; installing them would need the network. Linking head's means
 * the base is synthesized with head's dependency versions: a PR that only bumps a dependency shows no difference
 * from the bump itself, only from code changes.
 */
async function linkNodeModules(headDir: string, baseDir: string): Promise<void> {
  const source = path.join(headDir, 'node_modules');
  const target = path.join(baseDir, 'node_modules');
  if (!(await exists(source)) || (await exists(target))) return;
  await fs.symlink(await fs.realpath(source), target, process.platform === 'win32' ? 'junction' : 'dir');
}

/** A stale template of a stack deleted since the last synth would otherwise look like a stack that still exists. */
async function removeOutputs(dir: string): Promise<void> {
  for (const name of Object.values(OUTPUT_DIRS)) await fs.rm(path.join(dir, name), { recursive: true, force: true });
}

async function synthAndLoad(synth: SynthFunction, dir: string, stage: string, side: 'base' | 'head'): Promise<SynthesizedStack[]> {
  await removeOutputs(dir);
  await synth({ dir, stage, side });
  return loadOutputSet(dir);
}

/**
 * Runs the review and writes its markdown to `out`. Whatever fails, `out` never keeps an earlier review: it is removed
 * first, and a failure writes a review that says what failed (then rethrows, so the command exits non-zero).
 */
export async function runReview(options: RunReviewOptions): Promise<number> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const out = path.resolve(cwd, options.out ?? 'review.md');
  const requestedStage = options.stage ?? ((options.env ?? process.env)[STAGE_ENV] || DEFAULT_STAGE);
  const context: { -readonly [key in keyof RenderContext]: RenderContext[key] } = {
    stage: requestedStage,
    baseRef: options.base,
    maxLength: options.maxLength,
  };
  await fs.rm(out, { force: true });
  try {
    return await review(options, cwd, out, context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await fs.writeFile(out, renderReviewFailure(context, message), 'utf8').catch(() => undefined);
    throw error;
  }
}

async function review(
  options: RunReviewOptions,
  cwd: string,
  out: string,
  context: { -readonly [key in keyof RenderContext]: RenderContext[key] },
): Promise<number> {
  // The loader's rule: a name it would refuse can only fail later, after a worktree and two synths.
  const stage = assertStageName(context.stage);
  const synth = options.synth ?? npmSynth;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const baseCommit = await resolveCommit(cwd, options.base);
  context.baseCommit = baseCommit;
  context.headCommit = await headCommit(cwd);
  const prefix = await projectPrefix(cwd);
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's3-alicdn-review-'));
  const worktree = path.join(tmp, 'base');
  try {
    await addDetachedWorktree(cwd, baseCommit, worktree);
    const baseDir = projectDirIn(worktree, prefix);
    await linkNodeModules(cwd, baseDir);

    log(`review: synthesizing head (${cwd}), stage ${stage}`);
    const head = await synthAndLoad(synth, cwd, stage, 'head').catch((error: Error) => {
      throw new ReviewError(`head (${cwd}) failed to synthesize stage ${stage}: ${error.message}`, { cause: error });
    });
    // A stage added by this pull request has no configuration in the base: every stack is new, nothing failed.
    context.newStage = !(await exists(stageConfigPath(stage, baseDir)));
    let base: SynthesizedStack[] = [];
    if (context.newStage) {
      log(`review: stage ${stage} has no configuration in base ${options.base}: reviewing it as a new stage`);
    } else {
      log(`review: synthesizing base ${options.base} (${baseCommit.slice(0, 12)})`);
      base = await synthAndLoad(synth, baseDir, stage, 'base').catch((error: Error) => {
        throw new ReviewError(
          `base ${options.base} (${baseCommit.slice(0, 12)}) failed to synthesize, so there is nothing to compare against: ${error.message}`,
          { cause: error },
        );
      });
    }

    const report = diffStackSets(base, head);
    const markdown = renderReviewMarkdown(report, { ...context, stage });
    await fs.writeFile(out, markdown, 'utf8');

    const destructive = destructiveChanges(report);
    const changed = report.stacks.filter(hasChanges).length;
    log(`review: wrote ${out}: ${changed} of ${report.stacks.length} stacks changed, ${destructive.length} replacements or deletions`);
    return options.failOnDestructive === true && destructive.length > 0 ? 1 : 0;
  } finally {
    await removeWorktree(cwd, worktree);
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
