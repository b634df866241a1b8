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
    throw new Error(`requireApproval "${options.requireApproval}" is not allowed; use one of: ${REQUIRE_APPROVAL.join(', ')}.`);
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
    ...(options.parameters ?? []).flatMap((p) => ['--parameters', `${p.stack}:${p.name}=${p.value}`]),
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
  return ['destroy', ...stackSelectors(options.stacks), '--force', ...(options.app ? ['--app', options.app] : []), ...contextArgs(options.context)];
}

function stackSelectors(stacks: readonly string[]): string[] {
  if (stacks.length === 0) {
    throw new Error('stacks is empty; name the stacks explicitly (this library never passes --all).');
  }
  for (const stack of stacks) {
    if (!STACK_SELECTOR.test(stack)) {
      throw new Error(
        `stack "${stack}" is not a valid stack selector; use letters, digits, "-", "_", "/" and "*", not starting with "-".`,
      );
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
