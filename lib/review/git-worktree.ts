/** The git operations of a review: resolve the base ref, and check it out in a throwaway worktree. */

import * as path from 'node:path';
import { ReviewError } from './review-error';
import { outputTail, runProcess } from './run-process';

async function git(cwd: string, args: string[]) {
  try {
    return await runProcess('git', args, { cwd });
  } catch (error) {
    throw new ReviewError(`cannot run git in ${cwd}: ${(error as Error).message}`);
  }
}

/** Refuses refs git would read as options, and anything with whitespace or control characters. */
export function validateRef(ref: string): void {
  if (ref === '' || ref.startsWith('-') || /\s/.test(ref) || [...ref].some(isControlCharacter)) {
    throw new ReviewError(
      `base ref ${JSON.stringify(ref)} is not allowed: give a branch, tag or commit such as origin/main (no leading '-', no spaces)`,
    );
  }
}

export async function resolveCommit(cwd: string, ref: string): Promise<string> {
  validateRef(ref);
  const result = await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (result.exitCode !== 0) {
    throw new ReviewError(
      `base ref ${JSON.stringify(ref)} does not exist in ${cwd}. Fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0), or pass an existing branch, tag or commit.`,
    );
  }
  return result.stdout.trim();
}

/** Where `cwd` sits inside its repository, so the same project directory is used inside the worktree. */
export async function projectPrefix(cwd: string): Promise<string> {
  const result = await git(cwd, ['rev-parse', '--show-prefix']);
  if (result.exitCode !== 0) throw new ReviewError(`${cwd} is not inside a git repository: ${outputTail(result, 3)}`);
  return result.stdout.trim();
}

export async function headCommit(cwd: string): Promise<string | undefined> {
  const result = await git(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

export async function addDetachedWorktree(cwd: string, commit: string, dir: string): Promise<void> {
  const result = await git(cwd, ['worktree', 'add', '--detach', dir, commit]);
  if (result.exitCode !== 0) {
    throw new ReviewError(`cannot create a worktree of ${commit} in ${dir}: ${outputTail(result, 5)}`);
  }
}

/** Best effort: a leftover worktree must not hide the review's own result or error. */
export async function removeWorktree(cwd: string, dir: string): Promise<void> {
  await git(cwd, ['worktree', 'remove', '--force', dir]).catch(() => undefined);
  await git(cwd, ['worktree', 'prune']).catch(() => undefined);
}

export function projectDirIn(worktree: string, prefix: string): string {
  return prefix === '' ? worktree : path.join(worktree, prefix);
}

function isControlCharacter(char: string): boolean {
  const code = char.charCodeAt(0);
  return code <= 0x1f || code === 0x7f;
}
