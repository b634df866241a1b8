import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assumesCloudRole, checkWorkflow, parseYaml, triggersOf, unpinnedReason } from './workflow-policy';

const ROOT = path.join(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
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
    // Waiting for Alibaba's review (exit 3) is said in the summary, and the job still fails so it is re-run.
    const deployStep = deploy.steps.find((step: Record<string, any>) => step.name === 'Deploy');
    expect(deployStep.run).toMatch(/if \[ "\$status" -eq 3 \]/);
    expect(deployStep.run).toMatch(/exit "\$status"\s*$/);
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
  '      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3',
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
    ['aliyun/configure-aliyun-credentials-action@v1', "ref 'v1' of a third-party action is not a 40-character commit SHA"],
    ['aws-actions/configure-aws-credentials@v6.2.3', "ref 'v6.2.3' of a third-party action is not a 40-character commit SHA"],
    ['someone/action@main', "ref 'main' of a third-party action is not a 40-character commit SHA"],
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

  test.each([
    'actions/checkout@v6',
    'actions/checkout@v6.0.2',
    `actions/checkout@${'a'.repeat(40)}`,
    `someone/action@${'a'.repeat(40)}`,
    `someone/action/sub-dir@${'a'.repeat(40)}`,
    './local-action',
  ])('%s counts as pinned', (uses) => {
    expect(unpinnedReason(uses)).toBeUndefined();
  });

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

describe('pinning, caches and planted errors', () => {
  const sha = 'b347e60e64028a4d567a8f31ca42e1b0706c3c99';
  const deployJob = (steps: string) =>
    `    environment: prod\n    concurrency: { group: d, cancel-in-progress: false }\n    permissions: { id-token: write }\n    steps:\n${steps}`;

  test('a third-party action pinned by tag fails the CI rules (the planted tag pin)', () => {
    const tagged = workflow({ job: '    steps:\n      - uses: aliyun/configure-aliyun-credentials-action@v1' });
    expect(checkWorkflow(tagged)).toEqual([
      "job build: 'aliyun/configure-aliyun-credentials-action@v1' is not pinned (ref 'v1' of a third-party action is not a 40-character commit SHA)",
    ]);
  });

  test('a commit pin needs a version comment', () => {
    const bare = workflow({ job: `    steps:\n      - uses: aliyun/configure-aliyun-credentials-action@${sha}` });
    expect(checkWorkflow(bare)).toEqual([
      `'aliyun/configure-aliyun-credentials-action@${sha}' is pinned by commit without a '# vX.Y.Z' comment naming its version`,
    ]);
    const commented = workflow({ job: `    steps:\n      - uses: aliyun/configure-aliyun-credentials-action@${sha} # v1.0.7` });
    expect(checkWorkflow(commented)).toEqual([]);
  });

  test.each([
    [
      'setup-node with cache: npm',
      '      - uses: actions/setup-node@v6.4.0\n        with:\n          node-version: 24\n          cache: npm',
    ],
    ['setup-node that may cache on its own', '      - uses: actions/setup-node@v6.4.0\n        with:\n          node-version: 24'],
    ['actions/cache', '      - uses: actions/cache@v5\n        with:\n          path: ~/.npm\n          key: npm'],
  ])('a job with cloud credentials may not restore a dependency cache: %s', (_label, cacheStep) => {
    const uses = /uses: (\S+)/.exec(cacheStep)![1];
    expect(checkWorkflow(workflow({ job: deployJob(`${cacheStep}\n${awsStep}`) }))).toEqual([
      `job build assumes a cloud role and restores a dependency cache ('${uses}')`,
    ]);
  });

  test('setup-node with package-manager-cache: false is accepted in a job with cloud credentials', () => {
    const step =
      '      - uses: actions/setup-node@v6.4.0\n        with:\n          node-version: 24\n          package-manager-cache: false';
    expect(checkWorkflow(workflow({ job: deployJob(`${step}\n${awsStep}`) }))).toEqual([]);
  });
});

describe('node, session length and the destructive-change gate', () => {
  const setupNodeSteps = files.flatMap((file) =>
    Object.values<Record<string, any>>(load(file).jobs).flatMap((job) =>
      (job.steps ?? []).filter((step: Record<string, any>) => String(step.uses ?? '').startsWith('actions/setup-node@')),
    ),
  );

  test('every workflow runs a supported LTS Node (24), and engines admits it', () => {
    // Node 20 reached end of life on 2026-04-30; 22 is maintenance LTS until 2027-04-30, 24 until 2028-04-30
    // (nodejs/Release README, release schedule).
    expect(setupNodeSteps.length).toBeGreaterThan(0);
    for (const step of setupNodeSteps) expect(step.with['node-version']).toBe(24);
    const engines = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines.node as string;
    const minimum = Number(/^>=(\d+)/.exec(engines)?.[1]);
    expect(minimum).toBeGreaterThanOrEqual(22);
    expect(minimum).toBeLessThanOrEqual(24);
  });

  test('the Alibaba session lasts as long as the RAM role allows (its MaxSessionDuration), not the 1,800 s default', () => {
    const template = JSON.parse(fs.readFileSync(path.join(ROOT, 'lib', 'ci-identity', 'alibaba-github-oidc-role.ros.json'), 'utf8'));
    const maxSessionDuration = template.Resources.DeployRole.Properties.MaxSessionDuration;
    const { deploy } = load('deploy.yml').jobs;
    const aliyun = deploy.steps.find((step: Record<string, any>) =>
      String(step.uses).startsWith('aliyun/configure-aliyun-credentials-action@'),
    );
    expect(Number(aliyun.with['role-session-expiration'])).toBe(maxSessionDuration);
    // A session shorter than the job could expire halfway through a stack update.
    expect(maxSessionDuration).toBeGreaterThanOrEqual(deploy['timeout-minutes'] * 60);
  });

  test('the pull-request check re-runs when a label is added or removed', () => {
    const on = load('pull-request.yml').on;
    expect(on.pull_request.types).toEqual(expect.arrayContaining(['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled']));
  });

  /** Runs the review step's script with a stub `npm` that records its arguments and exits with `reviewExit`. */
  function runReviewStep(labels: string[], reviewExit: number): { status: number | null; npmArgs: string; reviewMd: string } {
    const steps: Record<string, any>[] = load('pull-request.yml').jobs['test-and-review'].steps;
    const step = steps.find((candidate) => candidate.id === 'review')!;
    expect(step.env.ALLOW_DESTRUCTIVE).toBe("${{ contains(github.event.pull_request.labels.*.name, 'allow-destructive') }}");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-step-'));
    try {
      fs.mkdirSync(path.join(dir, 'bin'));
      const stub = `#!/usr/bin/env bash\nprintf '%s\\n' "$*" > npm-args\necho '# Review' > review.md\nexit ${reviewExit}\n`;
      fs.writeFileSync(path.join(dir, 'bin', 'npm'), stub, { mode: 0o755 });
      // GitHub runs `run:` with `bash -e {0}`; the expression is what contains() gives for these labels.
      const result = spawnSync('bash', ['-e', '-c', step.run], {
        cwd: dir,
        env: {
          PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
          BASE_REF: 'main',
          ALLOW_DESTRUCTIVE: String(labels.includes('allow-destructive')),
        },
        encoding: 'utf8',
      });
      return {
        status: result.status,
        npmArgs: fs.readFileSync(path.join(dir, 'npm-args'), 'utf8').trim(),
        reviewMd: fs.readFileSync(path.join(dir, 'review.md'), 'utf8'),
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('by default the review runs with --fail-on-destructive, and its failure fails the step and explains the label', () => {
    const passing = runReviewStep(['documentation'], 0);
    expect(passing).toEqual({ status: 0, npmArgs: 'run review -- --base origin/main --fail-on-destructive', reviewMd: '# Review\n' });

    const destructive = runReviewStep([], 1);
    expect(destructive.status).toBe(1);
    expect(destructive.reviewMd).toContain('a maintainer adds the `allow-destructive` label');
  }, 60_000);

  test('with the allow-destructive label the review runs without the flag', () => {
    expect(runReviewStep(['allow-destructive'], 0)).toEqual({
      status: 0,
      npmArgs: 'run review -- --base origin/main',
      reviewMd: '# Review\n',
    });
    // A review that fails for another reason still fails the check.
    expect(runReviewStep(['allow-destructive'], 1).status).toBe(1);
  }, 60_000);

  test('a failed review is still published: summary, artifact and comment', () => {
    const steps: Record<string, any>[] = load('pull-request.yml').jobs['test-and-review'].steps;
    const afterReview = steps.slice(steps.findIndex((step) => step.id === 'review') + 1);
    expect(afterReview).toHaveLength(3);
    for (const step of afterReview) {
      expect(step.if).toBe("${{ !cancelled() && (steps.review.outcome == 'success' || steps.review.outcome == 'failure') }}");
    }
    const comment = load('pull-request-comment.yml').jobs.comment;
    expect(comment.if).toContain("github.event.workflow_run.conclusion == 'failure'");
    const [download, post] = comment.steps;
    expect(download).toMatchObject({ id: 'download', 'continue-on-error': true });
    expect(post.if).toBe("steps.download.outcome == 'success'");
  });
});

describe('actionlint', () => {
  // The WebAssembly build of actionlint (rhysd/actionlint v1.7.7's playground), run as `npm run lint:workflows` does;
  // being WebAssembly it runs no shellcheck on `run:` blocks.
  const script: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts['lint:workflows'];
  const bin = path.join(ROOT, 'node_modules', '@tktco', 'node-actionlint', 'bin', 'node-actionlint.js');

  /** `npm run lint:workflows` in a scratch repository holding these workflow files. */
  function lintWorkflows(workflows: Record<string, string>): { status: number | null; output: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actionlint-'));
    try {
      fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
      for (const [file, text] of Object.entries(workflows)) fs.writeFileSync(path.join(dir, '.github', 'workflows', file), text);
      const glob = /^node-actionlint '([^']+)'$/.exec(script)![1];
      const result = spawnSync(process.execPath, [bin, glob], { cwd: dir, encoding: 'utf8' });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('npm run lint runs it over every workflow file', () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
    expect(scripts.lint).toBe('run-s --silent lint:*');
    // The CLI lints the files matching its first argument only, and passes when none match: keep it one glob.
    expect(script).toBe("node-actionlint '.github/workflows/*.{yml,yaml}'");
    const passing = lintWorkflows(Object.fromEntries(files.map((file) => [file, read(file)])));
    expect(passing).toEqual({ status: 0, output: expect.stringContaining(`Checking ${files.length} workflow file(s)`) });
  }, 120_000);

  test('a planted error (a misspelt step id in an expression) fails it', () => {
    const planted = read('pull-request.yml').replace("steps.review.outcome == 'failure'", "steps.reveiw.outcome == 'failure'");
    expect(planted).not.toBe(read('pull-request.yml'));
    const failing = lintWorkflows({ 'deploy.yml': read('deploy.yml'), 'pull-request.yml': planted });
    expect(failing.status).toBe(1);
    expect(failing.output).toContain('reveiw');
  }, 120_000);
});

describe('shellcheck', () => {
  // Optional: the WebAssembly actionlint cannot run shellcheck, and CI does not install it (.ci/run would need apt
  // and root for a handful of short scripts). Where `shellcheck` is on PATH (Debian: apt-get install shellcheck),
  // every `run:` block is checked as bash, which is what GitHub runs it with.
  const available = spawnSync('shellcheck', ['--version']).status === 0;
  const runBlocks = files.flatMap((file) =>
    Object.entries<Record<string, any>>(load(file).jobs).flatMap(([id, job]) =>
      (job.steps ?? [])
        .map((step: Record<string, any>, index: number) => ({ where: `${file} ${id} step ${index + 1}`, run: step.run }))
        .filter((block: { run?: unknown }) => typeof block.run === 'string'),
    ),
  );

  (available ? test : test.skip)('every run: block passes shellcheck', () => {
    const findings = runBlocks
      .map(({ where, run }) => ({
        where,
        result: spawnSync('shellcheck', ['--shell=bash', '--format=gcc', '-'], { input: run, encoding: 'utf8' }),
      }))
      .filter(({ result }) => result.status !== 0)
      .map(({ where, result }) => `${where}: ${result.stdout}`);
    expect(findings).toEqual([]);
  });

  (available ? test : test.skip)('a planted shell error is found', () => {
    const result = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', '-'], { input: 'cp $SOURCE review.md\n', encoding: 'utf8' });
    expect(result.stdout).toContain('SC2086');
  });
});
