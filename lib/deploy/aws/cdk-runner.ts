import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { S3AlicdnError } from '../../errors';

/**
 * Argument lists for the project's own `cdk` CLI. The app itself comes from cdk.json in the project directory, so
 * none of these carries `--app`; naming the stacks explicitly keeps a deploy from touching stacks it did not mean to.
 */

export type RequireApproval = 'never' | 'broadening' | 'any-change';
export type CdkProgress = 'events' | 'bar';

export interface CdkDeployArgsOptions {
  readonly stacks: readonly string[];
  readonly outputsFile: string;
  readonly requireApproval: RequireApproval;
  /** `events` streams CloudFormation events line by line, which reads well in CI logs. @default 'events' */
  readonly progress?: CdkProgress;
  readonly context?: Readonly<Record<string, string>>;
  /** A synthesized cloud assembly folder to deploy as is (`--app cdk.out`) instead of running the app again. */
  readonly app?: string;
  /** CloudFormation parameters, as `--parameters <stack>:<name>=<value>`. Never pass secrets here: they are logged. */
  readonly parameters?: ReadonlyArray<{ readonly stack: string; readonly name: string; readonly value: string }>;
}

export interface CdkDiffArgsOptions {
  readonly stacks: readonly string[];
  /** Exit 1 when there is any difference (`--fail`). @default false */
  readonly failOnChange?: boolean;
  readonly context?: Readonly<Record<string, string>>;
  readonly app?: string;
}

export interface CdkDestroyArgsOptions {
  readonly stacks: readonly string[];
  readonly context?: Readonly<Record<string, string>>;
  readonly app?: string;
}

const REQUIRE_APPROVAL: readonly RequireApproval[] = ['never', 'broadening', 'any-change'];
// Stack names, construct paths (Stage/Stack) and CDK's glob selectors; a leading dash would read as a flag.
const STACK_SELECTOR = /^[A-Za-z0-9*][A-Za-z0-9*/_-]*$/;
const CONTEXT_KEY = /^[A-Za-z0-9@][A-Za-z0-9@:/._-]*$/;

export function cdkDeployArgs(options: CdkDeployArgsOptions): string[] {
  if (!REQUIRE_APPROVAL.includes(options.requireApproval)) {
    throw new S3AlicdnError(
      'USAGE',
      `requireApproval "${options.requireApproval}" is not allowed; use one of: ${REQUIRE_APPROVAL.join(', ')}.`,
    );
  }
  if (options.outputsFile.trim() === '') {
    throw new Error('outputsFile is empty; cdk deploy needs a path for --outputs-file.');
  }
  return [
    'deploy',
    ...stackSelectors(options.stacks),
    '--outputs-file',
    options.outputsFile,
    '--require-approval',
    options.requireApproval,
    '--progress',
    options.progress ?? 'events',
    ...(options.app ? ['--app', options.app] : []),
    ...(options.parameters ?? []).flatMap((parameter) => ['--parameters', `${parameter.stack}:${parameter.name}=${parameter.value}`]),
    ...contextArgs(options.context),
  ];
}

export function cdkDiffArgs(options: CdkDiffArgsOptions): string[] {
  return [
    'diff',
    ...stackSelectors(options.stacks),
    ...(options.failOnChange ? ['--fail'] : []),
    ...(options.app ? ['--app', options.app] : []),
    ...contextArgs(options.context),
  ];
}

export function cdkDestroyArgs(options: CdkDestroyArgsOptions): string[] {
  // --force because the deploy command asks its own question (or was given --yes) before it gets here.
  return [
    'destroy',
    ...stackSelectors(options.stacks),
    '--force',
    ...(options.app ? ['--app', options.app] : []),
    ...contextArgs(options.context),
  ];
}

function stackSelectors(stacks: readonly string[]): string[] {
  if (stacks.length === 0) {
    throw new Error('stacks is empty; name the stacks explicitly (this library never passes --all).');
  }
  for (const stack of stacks) {
    if (!STACK_SELECTOR.test(stack)) {
      throw new Error(`stack "${stack}" is not a valid stack selector; use letters, digits, "-", "_", "/" and "*", not starting with "-".`);
    }
  }
  return [...stacks];
}

function contextArgs(context: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(context ?? {}).flatMap(([key, value]) => {
    if (!CONTEXT_KEY.test(key)) {
      throw new Error(`context key "${key}" is not allowed; use letters, digits and @ : / . _ -.`);
    }
    return ['--context', `${key}=${value}`];
  });
}

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
  /**
   * Where the child's stdout goes when its output is inherited. `stderr` for `--ci`, whose stdout carries one JSON
   * summary and nothing else: with CI set, the cdk CLI writes all its messages to stdout, not only the template.
   * @default 'stdout'
   */
  readonly stdout?: CdkOutputStream;
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
        stdio: output !== 'inherit' ? ['ignore', 'pipe', 'pipe'] : options.stdout === 'stderr' ? ['inherit', 2, 'inherit'] : 'inherit',
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
    throw new S3AlicdnError(
      'PREFLIGHT_FAILED',
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
      throw new S3AlicdnError('USAGE', `region "${opts.region}" is not an AWS region name (expected e.g. ap-northeast-2).`);
    }
    env.AWS_REGION = opts.region;
    env.AWS_DEFAULT_REGION = opts.region;
  }
  return env;
}

function profileFlag(profile: string | undefined): string[] {
  if (profile === undefined) return [];
  if (profile === '' || profile.startsWith('-') || /\s/.test(profile)) {
    throw new S3AlicdnError(
      'USAGE',
      `profile "${profile}" is not a usable AWS profile name (empty, starts with "-" or contains whitespace).`,
    );
  }
  return ['--profile', profile];
}

function waitForExit(child: ChildProcess, output: NonNullable<CdkRunOptions['output']>, command: string): Promise<CdkRunResult> {
  if (typeof output === 'function') {
    for (const stream of ['stdout', 'stderr'] as const) {
      const readable = child[stream];
      readable?.setEncoding('utf8');
      readable?.on('data', (chunk: string) => output(chunk, stream));
    }
  }
  return new Promise((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(new S3AlicdnError('DEPLOY_FAILED', `Could not start ${command}: ${error.code ?? error.message}.`, { cause: error }));
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      resolve(signal ? { exitCode: code ?? 1, signal } : { exitCode: code ?? 1 });
    });
  });
}
