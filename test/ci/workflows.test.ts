import * as fs from 'node:fs';
import * as path from 'node:path';
import { assumesCloudRole, checkWorkflow, parseYaml, triggersOf, unpinnedReason } from './workflow-policy';

const WORKFLOWS = path.join(__dirname, '..', '..', '.github', 'workflows');
const files = fs
  .readdirSync(WORKFLOWS)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort();
const read = (file: string) => fs.readFileSync(path.join(WORKFLOWS, file), 'utf8');
const load = (file: string) => parseYaml(read(file)) as Record<string, any>;

describe('the repository workflows', () => {
  test('are the three expected ones', () => {
    expect(files).toEqual(['deploy.yml', 'pull-request-comment.yml', 'pull-request.yml']);
  });

  test.each(files)('%s passes the schema and every CI rule', (file) => {
    expect(checkWorkflow(read(file))).toEqual([]);
  });

  test('only the deploy job assumes cloud roles, and only it has id-token: write', () => {
    const jobs = files.flatMap((file) => Object.entries<Record<string, any>>(load(file).jobs).map(([id, job]) => ({ file, id, job })));
    const roleJobs = jobs.filter(({ job }) => assumesCloudRole(job)).map(({ file, id }) => `${file}:${id}`);
    const idTokenJobs = jobs.filter(({ job }) => job.permissions?.['id-token'] === 'write').map(({ file, id }) => `${file}:${id}`);
    expect(roleJobs).toEqual(['deploy.yml:deploy']);
    expect(idTokenJobs).toEqual(['deploy.yml:deploy']);
  });

  test('the deploy job is gated by an environment and never cancels a running deploy', () => {
    const { deploy } = load('deploy.yml').jobs;
    expect(deploy.environment).toBe("${{ inputs.stage || vars.DEPLOY_STAGE || 'prod' }}");
    expect(deploy.concurrency).toEqual({ group: "deploy-${{ inputs.stage || vars.DEPLOY_STAGE || 'prod' }}", 'cancel-in-progress': false });
    expect(deploy.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(load('deploy.yml').permissions).toEqual({});
    const runs = deploy.steps
      .map((step: Record<string, any>) => step.run)
      .filter(Boolean)
      .join('\n');
    expect(runs).toContain('npm run deploy -- --stage "$STAGE" --ci --yes');
    expect(runs).toContain('npm run verify -- --stage "$STAGE" --ci');
    expect(runs).toContain('>> "$GITHUB_STEP_SUMMARY"');
  });

  test('the pull-request workflow is read-only and the commenter runs no pull-request code', () => {
    expect(triggersOf(load('pull-request.yml'))).toEqual(['pull_request']);
    expect(load('pull-request.yml').permissions).toEqual({ contents: 'read' });
    expect(read('pull-request.yml')).toContain('npm run review -- --base "origin/${BASE_REF}"');

    const commenter = load('pull-request-comment.yml');
    expect(triggersOf(commenter)).toEqual(['workflow_run']);
    expect(commenter.jobs.comment.permissions).toEqual({ actions: 'read', 'pull-requests': 'write' });
    expect(read('pull-request-comment.yml')).toMatch(/\[\[ "\$pr_number" =~ \^\[1-9\]\[0-9\]\{0,9\}\$ \]\]/);
  });
});

/** A minimal valid workflow, edited per case. */
function workflow(parts: { on?: string; permissions?: string; job?: string }): string {
  return [
    'name: Bad',
    `on: ${parts.on ?? 'push'}`,
    parts.permissions ?? 'permissions: {}',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    parts.job ?? '    steps:\n      - uses: actions/checkout@v6.0.2',
  ].join('\n');
}

const awsStep = [
  '      - uses: aws-actions/configure-aws-credentials@v6.2.3',
  '        with:',
  '          role-to-assume: arn:aws:iam::123456789012:role/deploy',
  '          aws-region: ap-northeast-2',
].join('\n');

describe('the CI rules reject bad workflows', () => {
  test('a schema error (misspelt key) is reported by action-validator', () => {
    const bad = workflow({ job: '    permisions: {}\n    steps:\n      - run: echo hi' });
    expect(checkWorkflow(bad)).toEqual([expect.stringContaining('schema: /jobs/build OneOf conditions are not met')]);
  });

  test.each([
    ['actions/checkout@main', "ref 'main' is not a version tag"],
    ['actions/checkout@master', "ref 'master' is not a version tag"],
    ['actions/checkout@feature/x', "ref 'feature/x' is not a version tag"],
    ['actions/checkout', 'no ref'],
    ['docker://alpine:3', 'docker image without @sha256 digest'],
  ])('%s is not pinned', (uses, reason) => {
    expect(unpinnedReason(uses)).toContain(reason);
    expect(checkWorkflow(workflow({ job: `    steps:\n      - uses: ${uses}` }))).toEqual([
      `job build: '${uses}' is not pinned (${unpinnedReason(uses)})`,
    ]);
  });

  test.each(['actions/checkout@v6', 'actions/checkout@v6.0.2', `actions/checkout@${'a'.repeat(40)}`, './local-action'])(
    '%s counts as pinned',
    (uses) => {
      expect(unpinnedReason(uses)).toBeUndefined();
    },
  );

  test('assuming a role needs job-level id-token, an environment and a non-cancelling concurrency group', () => {
    expect(checkWorkflow(workflow({ job: `    steps:\n${awsStep}` }))).toEqual([
      'job build assumes a cloud role without job-level permissions id-token: write',
      'job build assumes a cloud role without an environment (no approval gate)',
      'job build assumes a cloud role without a concurrency group with cancel-in-progress: false',
    ]);
    const cancelling = workflow({
      job: `    environment: prod\n    concurrency: { group: deploy, cancel-in-progress: true }\n    permissions: { id-token: write }\n    steps:\n${awsStep}`,
    });
    expect(checkWorkflow(cancelling)).toEqual([
      'job build assumes a cloud role without a concurrency group with cancel-in-progress: false',
    ]);
  });

  test('id-token on a job that assumes no role, or at the top level, is refused', () => {
    expect(checkWorkflow(workflow({ job: '    permissions: { id-token: write }\n    steps:\n      - run: echo' }))).toEqual([
      'job build has id-token: write but assumes no cloud role',
    ]);
    expect(checkWorkflow(workflow({ permissions: 'permissions:\n  id-token: write', job: '    steps:\n      - run: echo' }))).toEqual([
      'top-level permissions grant id-token: write; grant it only to the job that needs it',
    ]);
    expect(checkWorkflow(workflow({ permissions: 'permissions: write-all' }))).toEqual([
      "top-level permissions 'write-all' are too broad: list them per scope",
    ]);
    expect(checkWorkflow(workflow({ permissions: '' }))).toEqual([
      'top-level permissions are missing: set `permissions: {}` or `contents: read`',
    ]);
  });

  test('a pull-request workflow may not request id-token or use secrets', () => {
    const withSecret = workflow({ on: 'pull_request', job: '    steps:\n      - run: echo "${{ secrets.NPM_TOKEN }}"' });
    expect(checkWorkflow(withSecret)).toEqual(['a pull-request workflow must not use secrets']);
    const withRole = workflow({
      on: 'pull_request',
      job: `    environment: prod\n    concurrency: { group: d, cancel-in-progress: false }\n    permissions: { id-token: write }\n    steps:\n${awsStep}`,
    });
    expect(checkWorkflow(withRole)).toEqual(['a pull-request workflow must not request id-token']);
  });

  test('pull_request_target, and checking out code in a workflow_run workflow, are refused', () => {
    expect(checkWorkflow(workflow({ on: 'pull_request_target', job: '    steps:\n      - run: echo' }))).toEqual([
      'pull_request_target runs untrusted code with a write token: use pull_request plus a workflow_run commenter',
    ]);
    expect(checkWorkflow(workflow({ on: 'workflow_run' }))).toEqual(['job build checks out code in a privileged pull-request workflow']);
  });
});
