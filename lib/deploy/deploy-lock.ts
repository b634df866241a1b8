import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exitCodeOf, S3AlicdnError } from '../errors';
import type { Reporter } from './reporter';

/**
 * One deploy per stage at a time on this machine. The lock is a file created with O_EXCL (atomic), holding who took
 * it; a lock whose process is gone (Ctrl-C, crash) is taken over, so an interrupted deploy can simply be re-run.
 * Across machines (CI), the workflow's concurrency group plays this role, and the ROS and CloudFormation stacks'
 * own *_IN_PROGRESS states refuse a second update.
 */
export class DeployLockedError extends S3AlicdnError {
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    super(
      'LOCKED',
      `Another deploy of stage "${holder.stage}" is running (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}). ` +
        `Wait for it to finish. If it is gone, delete ${lockFile} and re-run.`,
    );
  }
}

export interface LockHolder {
  readonly stage: string;
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly startedAt: string;
}

export interface DeployLock {
  readonly file: string;
  release(): void;
}

export function lockFileFor(stage: string, projectDir: string): string {
  return path.join(projectDir, `.deploy-lock-${stage}.json`);
}

export function acquireDeployLock(stage: string, command: string, projectDir = process.cwd(), isAlive = processIsAlive): DeployLock {
  const file = lockFileFor(stage, projectDir);
  const holder: LockHolder = { stage, pid: process.pid, host: os.hostname(), command, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(holder, null, 2), { flag: 'wx' });
      return {
        file,
        release: () => {
          try {
            const current = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
            if (current.pid === holder.pid && current.host === holder.host) fs.rmSync(file, { force: true });
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const existing = readHolder(file);
      const stale = existing === undefined || (existing.host === os.hostname() && !isAlive(existing.pid));
      if (!stale) throw new DeployLockedError(file, existing);
      fs.rmSync(file, { force: true });
    }
  }
  throw new DeployLockedError(file, readHolder(file) ?? holder);
}

/**
 * The lock for a stage command that reports its own summary (diff, destroy, rotate): the lock, or, when another run
 * holds it, the summary of a command that did not start (JSON with --ci) and its exit status. Taken before the command
 * asks or changes anything.
 */
export function acquireStageLockOrReport(
  stage: string,
  command: string,
  projectDir: string,
  reporter: Pick<Reporter, 'summary'>,
): DeployLock | number {
  try {
    return acquireDeployLock(stage, command, projectDir);
  } catch (error) {
    if (!(error instanceof DeployLockedError)) throw error;
    reporter.summary(
      { stage, command, ok: false, code: error.code, error: error.message },
      `✗ ${command} of stage "${stage}" did not start: ${error.message}`,
    );
    return exitCodeOf(error.code);
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
