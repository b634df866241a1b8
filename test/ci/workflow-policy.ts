/**
 * The CI security rules of this repository, checked on workflow YAML text: schema validity (action-validator),
 * pinned actions (third-party ones by full commit SHA with the version in a comment), id-token only where a cloud
 * role is assumed, nothing privileged on pull-request triggers, an approval environment plus a non-cancelling
 * concurrency group on every deploying job, and no dependency cache in a job that holds cloud credentials.
 */

import { validateWorkflow, type ValidationError } from '@action-validator/core';

// js-yaml ships with the toolchain (jest's coverage loader); 3.x exposes safeLoad, 4.x a safe load.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- js-yaml 3 ships no type declarations
const jsYaml: { safeLoad?: (s: string) => unknown; load: (s: string) => unknown } = require('js-yaml');
export const parseYaml = (source: string): unknown => (jsYaml.safeLoad ?? jsYaml.load)(source);

type Json = Record<string, any>;

const PINNED_REF = /^(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/;
const COMMIT_SHA = /^[0-9a-f]{40}$/;
/** GitHub's own actions (`actions/*`) may use a release tag; every other publisher's action is pinned by commit. */
const FIRST_PARTY_OWNER = 'actions';
const ROLE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'aws-actions/configure-aws-credentials': ['role-to-assume'],
  'aliyun/configure-aliyun-credentials-action': ['role-to-assume', 'oidc-provider-arn'],
};
const PULL_REQUEST_EVENTS: ReadonlySet<string> = new Set(['pull_request', 'pull_request_target', 'workflow_run']);

function schemaErrors(errors: readonly ValidationError[]): string[] {
  return errors.map((error) => [('path' in error && error.path) || '', error.title, error.detail ?? ''].filter(Boolean).join(' '));
}

export function triggersOf(workflow: Json): string[] {
  const on = workflow.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return on && typeof on === 'object' ? Object.keys(on) : [];
}

function actionName(uses: string): string {
  return uses.split('@')[0].split('/').slice(0, 2).join('/');
}

/**
 * `actions/*`: a version tag (v6, v6.0, v6.0.2) or a full commit SHA; a branch name can move under the workflow.
 * Any other action: a full commit SHA only, because a third party's tag can be moved to different code (the `v1`
 * tag of aliyun/configure-aliyun-credentials-action has moved with every v1.0.x release).
 */
export function unpinnedReason(uses: string): string | undefined {
  if (uses.startsWith('./')) return undefined;
  if (uses.startsWith('docker://')) return /@sha256:[0-9a-f]{64}$/.test(uses) ? undefined : 'docker image without @sha256 digest';
  const at = uses.lastIndexOf('@');
  if (at < 0) return 'no ref';
  const ref = uses.slice(at + 1);
  if (actionName(uses).split('/')[0] !== FIRST_PARTY_OWNER) {
    return COMMIT_SHA.test(ref) ? undefined : `ref '${ref}' of a third-party action is not a 40-character commit SHA`;
  }
  return PINNED_REF.test(ref) ? undefined : `ref '${ref}' is not a version tag or a 40-character commit SHA`;
}

/** `uses: owner/repo@<sha>` lines without a `# v1.2.3` comment naming the version the SHA is (for humans and Dependabot). */
function shaPinsWithoutVersionComment(source: string): string[] {
  return source
    .split('\n')
    .map((line) => /^\s*(?:-\s*)?uses:\s*['"]?([^\s'"#]+@[0-9a-f]{40})['"]?\s*(#.*)?$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && !/^#\s*v\d+(\.\d+){0,2}\b/.test(match[2] ?? ''))
    .map((match) => `'${match[1]}' is pinned by commit without a '# vX.Y.Z' comment naming its version`);
}

/**
 * Steps that restore a dependency cache: `actions/cache`, a setup action's `cache:` input, and actions/setup-node
 * without `package-manager-cache: false` (from v5 it caches on its own once package.json names a packageManager).
 * A cache that pull-request runs can write must not reach a job with cloud credentials.
 */
function cachingSteps(job: Json): string[] {
  return (job.steps ?? [])
    .filter((step: Json) => typeof step.uses === 'string')
    .filter((step: Json) => {
      const name = actionName(step.uses);
      if (name === 'actions/cache' || name.startsWith('actions/cache/')) return true;
      if (!/^actions\/setup-[a-z]+$/.test(name)) return false;
      const cache = step.with?.cache;
      return (cache !== undefined && cache !== '') || (name === 'actions/setup-node' && step.with?.['package-manager-cache'] !== false);
    })
    .map((step: Json) => step.uses as string);
}

export function assumesCloudRole(job: Json): boolean {
  return (job.steps ?? []).some((step: Json) => {
    if (typeof step.uses !== 'string') return false;
    const inputs = ROLE_ACTIONS[actionName(step.uses)];
    return inputs !== undefined && inputs.some((input) => step.with?.[input] !== undefined);
  });
}

function grantsIdToken(permissions: unknown): boolean {
  return (
    permissions === 'write-all' ||
    (typeof permissions === 'object' && permissions !== null && (permissions as Json)['id-token'] === 'write')
  );
}

function topLevelPermissionProblems(workflow: Json): string[] {
  const permissions = workflow.permissions;
  if (permissions === undefined) return ['top-level permissions are missing: set `permissions: {}` or `contents: read`'];
  if (typeof permissions === 'string') return [`top-level permissions '${permissions}' are too broad: list them per scope`];
  const writes = Object.entries(permissions as Json).filter(([, level]) => level !== 'read' && level !== 'none');
  return writes.map(([scope, level]) => `top-level permissions grant ${scope}: ${level}; grant it only to the job that needs it`);
}

function jobProblems(id: string, job: Json, pullRequestWorkflow: boolean): string[] {
  const problems: string[] = [];
  const usesList = [job.uses, ...(job.steps ?? []).map((step: Json) => step.uses)].filter(
    (candidate): candidate is string => typeof candidate === 'string',
  );
  for (const uses of usesList) {
    const reason = unpinnedReason(uses);
    if (reason) problems.push(`job ${id}: '${uses}' is not pinned (${reason})`);
  }
  const assumes = assumesCloudRole(job);
  const idToken = grantsIdToken(job.permissions);
  if (assumes && !idToken) problems.push(`job ${id} assumes a cloud role without job-level permissions id-token: write`);
  if (!assumes && idToken) problems.push(`job ${id} has id-token: write but assumes no cloud role`);
  if (assumes && !job.environment) problems.push(`job ${id} assumes a cloud role without an environment (no approval gate)`);
  if (assumes && (!job.concurrency || job.concurrency['cancel-in-progress'] !== false)) {
    problems.push(`job ${id} assumes a cloud role without a concurrency group with cancel-in-progress: false`);
  }
  if (assumes) {
    for (const uses of cachingSteps(job)) problems.push(`job ${id} assumes a cloud role and restores a dependency cache ('${uses}')`);
  }
  if (
    pullRequestWorkflow &&
    (job.steps ?? []).some((step: Json) => typeof step.uses === 'string' && actionName(step.uses) === 'actions/checkout')
  ) {
    problems.push(`job ${id} checks out code in a privileged pull-request workflow`);
  }
  return problems;
}

/** Every rule violation in one workflow, as readable sentences; empty when the workflow is acceptable. */
export function checkWorkflow(source: string): string[] {
  const schema = validateWorkflow(source).errors;
  if (schema.length > 0) return schemaErrors(schema).map((schemaError) => `schema: ${schemaError}`);
  const workflow = parseYaml(source) as Json;
  const triggers = triggersOf(workflow);
  const forPullRequests = triggers.some((trigger) => PULL_REQUEST_EVENTS.has(trigger));
  // workflow_run runs with the base repository's token: the place where checking out PR code is dangerous.
  const privilegedPullRequest = triggers.includes('workflow_run') || triggers.includes('pull_request_target');
  const problems = [...topLevelPermissionProblems(workflow), ...shaPinsWithoutVersionComment(source)];

  if (triggers.includes('pull_request_target')) {
    problems.push('pull_request_target runs untrusted code with a write token: use pull_request plus a workflow_run commenter');
  }
  if (forPullRequests) {
    if (
      grantsIdToken(workflow.permissions) ||
      Object.values<Json>(workflow.jobs ?? {}).some((job) => job.permissions?.['id-token'] !== undefined)
    ) {
      problems.push('a pull-request workflow must not request id-token');
    }
    if (/\$\{\{[^}]*\bsecrets\b/.test(source) || /\bsecrets:\s*inherit\b/.test(source)) {
      problems.push('a pull-request workflow must not use secrets');
    }
  }
  for (const [id, job] of Object.entries<Json>(workflow.jobs ?? {})) problems.push(...jobProblems(id, job, privilegedPullRequest));
  return problems;
}
