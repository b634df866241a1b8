import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { DEFAULT_STAGE, loadStage } from '../config/load-stage';
import type { StageConfig } from '../config/resolve-stage';
import type { IamSender } from '../deploy/aws/reader-key';
import type { SecretsManagerSender } from '../deploy/aws/secrets';
import { pinnedSecretVersions } from '../deploy/origin-secrets-for-ros';
import { createReporter } from '../deploy/reporter';
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

/** The cdk CLI run that started this app: its command (`deploy`, `diff`, `synth`, ...) and `--profile`, if known. */
export interface CdkCliInvocation {
  readonly command?: string;
  readonly profile?: string;
}

export interface ProcessInfo {
  readonly ppid: number;
  readonly args: readonly string[];
}

const CDK_COMMANDS = new Set(['deploy', 'diff', 'synth', 'synthesize', 'destroy', 'list', 'ls', 'watch', 'import', 'bootstrap', 'drift']);

/**
 * Which cdk command runs this app. The CLI tells an app only that it is running it (`CDK_OUTDIR`, `CDK_CONTEXT_JSON`;
 * the context's `aws:cdk:bundling-stacks` is the same for synth, diff and deploy), never the command, so the command
 * line is read from the ancestor processes: `npx cdk deploy` -> node .../aws-cdk/bin/cdk deploy -> sh -> this app.
 * Undefined when no cdk CLI started the app (npm run synth / deploy synthesize in process); `{}` when it did but its
 * command line cannot be read (Windows).
 */
export function cdkCliInvocation(
  env: NodeJS.ProcessEnv = process.env,
  readProcess: (pid: number) => ProcessInfo | undefined = readProcessInfo,
  startPid: number = process.ppid,
): CdkCliInvocation | undefined {
  if (env.CDK_OUTDIR === undefined) return undefined;
  let pid = startPid;
  for (let depth = 0; depth < 8 && pid > 1; depth++) {
    const info = readProcess(pid);
    if (!info) return {};
    const cli = info.args.findIndex((arg) => /(^|[/\\])cdk(\.js)?$/.test(arg));
    if (cli >= 0) return parseCdkArguments(info.args.slice(cli + 1));
    pid = info.ppid;
  }
  return {};
}

function parseCdkArguments(args: readonly string[]): CdkCliInvocation {
  const command = args.find((arg) => CDK_COMMANDS.has(arg));
  const profileAt = args.findIndex((arg) => arg === '--profile' || arg.startsWith('--profile='));
  const profile = profileAt < 0 ? undefined : args[profileAt].includes('=') ? args[profileAt].split('=')[1] : args[profileAt + 1];
  return { ...(command ? { command } : {}), ...(profile ? { profile } : {}) };
}

function readProcessInfo(pid: number): ProcessInfo | undefined {
  try {
    if (process.platform === 'linux') {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ")".
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return { ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]), args };
    }
    if (process.platform === 'darwin') {
      const line = execFileSync('ps', ['-o', 'ppid=', '-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
      const [ppid, ...args] = line.split(/\s+/);
      return { ppid: Number(ppid), args };
    }
  } catch {
    // A process that exited, or a system without /proc or ps: the command stays unknown.
  }
  return undefined;
}

/**
 * The context `npm run deploy` passes to the AWS app that a bare `cdk deploy` would not: the secret versions pinned
 * into the origin templates. Read here, the same way the deploy command reads them, so `npx cdk deploy` writes the
 * template `npm run deploy` writes and the two can be mixed in any order. On `deploy` a missing referer secret is
 * created first, as the deploy command does; on `diff` nothing is created. Any other command (synth) stays
 * credential-free. Context given on the command line (`-c key=value`) still wins: the CLI's context overrides these.
 */
export async function awsContextForCdkCli(
  stage: StageConfig,
  invocation: CdkCliInvocation | undefined,
  clients: { readonly secretsManager: (region: string) => SecretsManagerSender; readonly iam: () => IamSender },
): Promise<Record<string, string>> {
  if (invocation?.command === 'deploy') {
    const reporter = createReporter({ ci: true });
    return pinnedSecretVersions(stage, { purpose: 'deploy', secretsManager: clients.secretsManager, iam: clients.iam, reporter });
  }
  if (invocation?.command === 'diff') return pinnedSecretVersions(stage, { purpose: 'preview', secretsManager: clients.secretsManager });
  return {};
}

/** What a bare `cdk deploy` leaves undone, and the one command that finishes it. */
export function alibabaSideReminder(stage: StageConfig): string {
  return [
    `cdk deploy deploys only the AWS side of stage "${stage.stage}" (the origin bucket and its policy, and Route 53 records).`,
    'It does not deploy the Alibaba Cloud side: the CDN domains, their HTTPS certificates and origin authentication, and the DNS records.',
    `To finish, run: npm run deploy -- --stage ${stage.stage}`,
  ].join('\n');
}
