/**
 * End to end on a throwaway git repository: base and head commits select different fixture output sets, and an
 * injected synth copies the selected set into the checkout it is asked to build (head or the base worktree).
 */

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../lib/config/config-error';
import { REVIEW_FAILED_HEADING, REVIEW_MARKER } from '../../lib/review/review-markdown';
import { runReview } from '../../lib/review/run-review';
import type { SynthFunction, SynthRequest } from '../../lib/review/synth-runner';
import { FIXTURES } from './fixture-templates';

let repo: string;
let baseCommit: string;
let policyAndCdnCommit: string;
const calls: SynthRequest[] = [];

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  })
    .toString()
    .trim();
}

function commit(files: Record<string, string>, message: string): string {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    fs.writeFileSync(path.join(repo, name), content);
  }
  git('add', '-A');
  git('commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
}

/** Stands in for `npm run synth`: the checkout's config names which fixture output set it "synthesizes" to. */
const fixtureSynth: SynthFunction = async (request) => {
  calls.push(request);
  const config = JSON.parse(fs.readFileSync(path.join(request.dir, 'config', `${request.stage}.json`), 'utf8'));
  for (const out of ['cdk.out', 'ros.out']) {
    fs.cpSync(path.join(FIXTURES, config.fixture, out), path.join(request.dir, out), { recursive: true });
  }
};

function readReview(): string {
  return fs.readFileSync(path.join(repo, 'review.md'), 'utf8');
}

function worktreeCount(): number {
  return git('worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree ')).length;
}

beforeAll(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'review-e2e-'));
  git('init', '-q', '-b', 'main');
  fs.mkdirSync(path.join(repo, 'node_modules', 'some-dependency'), { recursive: true });
  baseCommit = commit(
    {
      '.gitignore': 'node_modules/\ncdk.out/\nros.out/\nreview.md\n',
      'config/example.json': JSON.stringify({ fixture: 'base' }),
      'README.md': 'base\n',
    },
    'base',
  );
  // Head: the bucket policy gains s3:GetObjectVersion and forward_scheme's scheme_origin becomes follow.
  policyAndCdnCommit = commit({ 'config/example.json': JSON.stringify({ fixture: 'head' }) }, 'change policy and cdn');
});

afterAll(() => {
  fs.rmSync(repo, { recursive: true, force: true });
});

beforeEach(() => {
  calls.length = 0;
});

const quiet = () => undefined;

test('names the bucket policy and CDN function changes and marks the policy security-relevant', async () => {
  const code = await runReview({ base: baseCommit, stage: 'example', cwd: repo, synth: fixtureSynth, log: quiet });

  expect(code).toBe(0);
  const review = readReview();
  expect(review).toMatch(/^<!-- s3-alicdn-review -->\n/);
  expect(review).toContain('`OriginBucketPolicy2D9E4B71` (`AWS::S3::BucketPolicy`): **bucket policy**');
  expect(review).toContain('function `forward_scheme` modified');
  expect(review).toContain('`scheme_origin`: `https` → `follow`');
  expect(review).toContain(`Base \`${baseCommit}\` (\`${baseCommit.slice(0, 12)}\`) → head (\`${policyAndCdnCommit.slice(0, 12)}\`)`);

  expect(calls.map((call) => [call.side, call.stage])).toEqual([
    ['head', 'example'],
    ['base', 'example'],
  ]);
  expect(calls[0].dir).toBe(repo);
  // The base worktree borrowed head's dependencies, and is gone afterwards.
  const baseDir = calls[1].dir;
  expect(baseDir).not.toBe(repo);
  expect(fs.existsSync(baseDir)).toBe(false);
  expect(worktreeCount()).toBe(1);
});

test('the base worktree links head node_modules', async () => {
  let linked: string | undefined;
  const inspectingSynth: SynthFunction = async (request) => {
    if (request.side === 'base') linked = fs.realpathSync(path.join(request.dir, 'node_modules'));
    await fixtureSynth(request);
  };
  await runReview({ base: baseCommit, cwd: repo, synth: inspectingSynth, log: quiet });
  expect(linked).toBe(fs.realpathSync(path.join(repo, 'node_modules')));
});

test('failOnDestructive gives exit code 1 when a resource is replaced', async () => {
  const code = await runReview({ base: baseCommit, cwd: repo, synth: fixtureSynth, failOnDestructive: true, log: quiet });
  expect(code).toBe(1);
  expect(readReview()).toContain('### Replacements and deletions');
});

test('with no infrastructure change it says so, and failOnDestructive stays 0', async () => {
  commit({ 'README.md': 'docs only\n' }, 'docs');
  const code = await runReview({ base: 'HEAD~1', cwd: repo, out: 'review.md', synth: fixtureSynth, failOnDestructive: true, log: quiet });

  expect(code).toBe(0);
  expect(readReview()).toContain('**No changes.**');
});

test('a base ref that does not exist is a clear error', async () => {
  await expect(runReview({ base: 'origin/no-such-branch', cwd: repo, synth: fixtureSynth, log: quiet })).rejects.toThrow(
    'base ref "origin/no-such-branch" does not exist',
  );
  await expect(runReview({ base: '--output=/tmp/x', cwd: repo, synth: fixtureSynth, log: quiet })).rejects.toThrow('is not allowed');
  expect(calls).toEqual([]);
});

test('a base that fails to synthesize is a clear error and leaves no worktree behind', async () => {
  const failingBase: SynthFunction = async (request) => {
    if (request.side === 'base') throw new Error('synth exploded: missing config key');
    await fixtureSynth(request);
  };

  await expect(runReview({ base: baseCommit, cwd: repo, synth: failingBase, log: quiet })).rejects.toThrow(
    `base ${baseCommit} (${baseCommit.slice(0, 12)}) failed to synthesize, so there is nothing to compare against: synth exploded: missing config key`,
  );
  expect(worktreeCount()).toBe(1);
});

test('a synth that writes no templates is an error naming the checkout', async () => {
  const emptyBase: SynthFunction = async (request) => {
    if (request.side === 'head') await fixtureSynth(request);
  };
  await expect(runReview({ base: baseCommit, cwd: repo, synth: emptyBase, log: quiet })).rejects.toThrow(
    /failed to synthesize.*no synthesized templates in .*: expected cdk\.out\/\*\.template\.json or ros\.out\/\*\.template\.json/s,
  );
});

test('a bad stage is refused before anything runs', async () => {
  await expect(runReview({ base: baseCommit, stage: 'prod; rm -rf /', cwd: repo, synth: fixtureSynth, log: quiet })).rejects.toThrow(
    'stage: "prod; rm -rf /" is not allowed: use 1-20 lowercase letters, digits or hyphens, starting with a letter',
  );
  expect(calls).toEqual([]);
});

test('the review refuses a stage name the loader refuses, as a configuration error', async () => {
  // Accepted by the review's own rule once; the loader would only have refused it after a worktree and a synth.
  const refused = runReview({ base: baseCommit, stage: 'Prod_1', cwd: repo, synth: fixtureSynth, log: quiet });
  await expect(refused).rejects.toThrow(
    'Invalid configuration in --stage:\n  - stage: "Prod_1" is not allowed: use 1-20 lowercase letters',
  );
  await expect(refused).rejects.toBeInstanceOf(ConfigError);
  expect(calls).toEqual([]);
});

describe('a review that fails writes a review.md that says so', () => {
  test('a head that fails to synthesize replaces an older review.md with the failure, and rejects', async () => {
    fs.writeFileSync(path.join(repo, 'review.md'), `${REVIEW_MARKER}\nan older review that must not look current\n`);
    const failingHead: SynthFunction = async (request) => {
      if (request.side === 'head') throw new Error('synth exploded: `config` has <b>bad</b> key');
      await fixtureSynth(request);
    };

    await expect(runReview({ base: baseCommit, cwd: repo, synth: failingHead, log: quiet })).rejects.toThrow(
      /head \(.*\) failed to synthesize stage example: synth exploded/,
    );

    const review = readReview();
    expect(review.split('\n')[0]).toBe(REVIEW_MARKER);
    expect(review).not.toContain('an older review');
    expect(review).toContain(REVIEW_FAILED_HEADING);
    expect(review).toContain('**no infrastructure review**');
    // The error sits in a fenced block (longer than any backtick run in it), so tool output cannot become markup.
    expect(review).toMatch(/```text\n[^\n]*synth exploded: `config` has <b>bad<\/b> key\n```/);
    expect(worktreeCount()).toBe(1);
  });

  test('so does a base ref that does not exist', async () => {
    await expect(runReview({ base: 'origin/gone', cwd: repo, synth: fixtureSynth, log: quiet })).rejects.toThrow('does not exist');
    expect(readReview()).toContain(REVIEW_FAILED_HEADING);
    expect(readReview()).toContain('base ref "origin/gone" does not exist');
  });
});

test('a stage that exists only in the head is reviewed as a new stage', async () => {
  const newStageConfig = path.join(repo, 'config', 'fresh.json');
  fs.writeFileSync(newStageConfig, JSON.stringify({ fixture: 'head' }));
  try {
    const code = await runReview({ base: baseCommit, stage: 'fresh', cwd: repo, synth: fixtureSynth, log: quiet });

    expect(code).toBe(0);
    expect(calls.map((call) => [call.side, call.stage])).toEqual([['head', 'fresh']]);
    const review = readReview();
    expect(review).toContain('**New stage**: the base has no `config/fresh.json`, so every stack below is new.');
    expect(review).toContain('`S3AliCdnCdn-example` (Alibaba Cloud ROS): **new stack**');
    expect(review).toContain('`S3AliCdnOrigin-example` (AWS CloudFormation): **new stack**');
    expect(worktreeCount()).toBe(1);
  } finally {
    fs.rmSync(newStageConfig);
  }
});

test('S3ALICDN_STAGE chooses the stage when none is given, as it does for --stage', async () => {
  const saved = process.env.S3ALICDN_STAGE;
  const stageConfig = path.join(repo, 'config', 'staging.json');
  fs.writeFileSync(stageConfig, JSON.stringify({ fixture: 'head' }));
  process.env.S3ALICDN_STAGE = 'staging';
  try {
    await runReview({ base: baseCommit, cwd: repo, synth: fixtureSynth, log: quiet });
    expect(calls.map((call) => call.stage)).toEqual(['staging']);
    expect(readReview()).toContain('## Infrastructure review for stage `staging`');
  } finally {
    if (saved === undefined) delete process.env.S3ALICDN_STAGE;
    else process.env.S3ALICDN_STAGE = saved;
    fs.rmSync(stageConfig);
  }
});
