import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export type CdkOutputStream = 'stdout' | 'stderr';

export interface CdkRunOptions {
  /** Passed as `--profile`, so the CLI resolves credentials and the default region from it. */
  readonly profile?: string;
  /** Exported as AWS_REGION and AWS_DEFAULT_REGION; the CLI derives CDK_DEFAULT_REGION for the app from them. */
  readonly region?: string;
  /** Extra environment for the child, over the runner's base environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `inherit` (default) hands the terminal to the CLI; a callback receives the output as it streams. */
  readonly output?: 'inherit' | ((chunk: string, stream: CdkOutputStream) => void);
}

export interface CdkRunResult {
  readonly exitCode: number;
  readonly signal?: NodeJS.Signals;
}

export interface CdkRunner {
  run(args: readonly string[], opts?: CdkRunOptions): Promise<CdkRunResult>;
}

export type SpawnFunction = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface CreateCdkRunnerOptions {
  /** The directory holding cdk.json and node_modules. */
  readonly projectDir: string;
  readonly spawn?: SpawnFunction;
  readonly fileExists?: (file: string) => boolean;
  /** The environment the child starts from. @default process.env */
  readonly baseEnv?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Runs the project's pinned aws-cdk CLI. A global `cdk` could be any version and may not read this project's cloud
 * assembly format, so the runner refuses to fall back to PATH.
 */
export function createCdkRunner(options: CreateCdkRunnerOptions): CdkRunner {
  const spawn = options.spawn ?? nodeSpawn;
  const fileExists = options.fileExists ?? existsSync;
  const baseEnv = options.baseEnv ?? process.env;
  const platform = options.platform ?? process.platform;

  return {
    async run(args, opts = {}) {
      const { command, prefixArgs } = localCdkCommand(options.projectDir, platform, fileExists);
      const env = childEnv(baseEnv, opts);
      const profileArgs = profileFlag(opts.profile);
      const output = opts.output ?? 'inherit';
      const child = spawn(command, [...prefixArgs, ...args, ...profileArgs], {
        cwd: options.projectDir,
        env,
        stdio: output === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      });
      return waitForExit(child, output, command);
    },
  };
}

function localCdkCommand(
  projectDir: string,
  platform: NodeJS.Platform,
  fileExists: (file: string) => boolean,
): { command: string; prefixArgs: string[] } {
  // On Windows .bin holds .cmd shims that spawn cannot run without a shell, so run the package's JS entry with node.
  const candidate =
    platform === 'win32'
      ? path.join(projectDir, 'node_modules', 'aws-cdk', 'bin', 'cdk')
      : path.join(projectDir, 'node_modules', '.bin', 'cdk');
  if (!fileExists(candidate)) {
    throw new Error(
      `The project's aws-cdk CLI was not found at ${candidate}. Run \`npm ci\` in ${projectDir}; a global cdk is not used.`,
    );
  }
  return platform === 'win32' ? { command: process.execPath, prefixArgs: [candidate] } : { command: candidate, prefixArgs: [] };
}

function childEnv(baseEnv: NodeJS.ProcessEnv, opts: CdkRunOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  for (const [key, value] of Object.entries(opts.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  if (opts.region !== undefined) {
    if (!REGION.test(opts.region)) {
      throw new Error(`region "${opts.region}" is not an AWS region name (expected e.g. ap-northeast-2).`);
    }
    env.AWS_REGION = opts.region;
    env.AWS_DEFAULT_REGION = opts.region;
  }
  return env;
}

function profileFlag(profile: string | undefined): string[] {
  if (profile === undefined) return [];
  if (profile === '' || profile.startsWith('-') || /\s/.test(profile)) {
    throw new Error(`profile "${profile}" is not a usable AWS profile name (empty, starts with "-" or contains whitespace).`);
  }
  return ['--profile', profile];
}

function waitForExit(
  child: ChildProcess,
  output: NonNullable<CdkRunOptions['output']>,
  command: string,
): Promise<CdkRunResult> {
  if (typeof output === 'function') {
    for (const stream of ['stdout', 'stderr'] as const) {
      const readable = child[stream];
      readable?.setEncoding('utf8');
      readable?.on('data', (chunk: string) => output(chunk, stream));
    }
  }
  return new Promise((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(new Error(`Could not start ${command}: ${error.code ?? error.message}.`));
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      resolve(signal ? { exitCode: code ?? 1, signal } : { exitCode: code ?? 1 });
    });
  });
}
