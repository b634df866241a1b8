import { Command } from 'commander';
import { addReviewCommand } from '../../lib/cli/review-command';
import { ReviewError } from '../../lib/review/review-error';
import { runReview, type RunReviewOptions } from '../../lib/review/run-review';

async function parse(args: string[], exitCode = 0): Promise<RunReviewOptions[]> {
  const seen: RunReviewOptions[] = [];
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  addReviewCommand(program, async (options) => {
    seen.push(options);
    return exitCode;
  });
  await program.parseAsync(['node', 'cli', 'review', ...args]);
  return seen;
}

afterEach(() => {
  process.exitCode = undefined;
});

test('defaults: stage example, review.md, no failing on destructive changes', async () => {
  expect(await parse(['--base', 'origin/main'])).toEqual([
    { base: 'origin/main', stage: 'example', out: 'review.md', failOnDestructive: false, maxLength: undefined },
  ]);
});

test('all flags, and the exit code becomes the process exit code', async () => {
  const seen = await parse(['--base', 'v1.2.0', '--stage', 'prod', '--out', 'r.md', '--fail-on-destructive', '--max-length', '0'], 1);
  expect(seen).toEqual([{ base: 'v1.2.0', stage: 'prod', out: 'r.md', failOnDestructive: true, maxLength: 0 }]);
  expect(process.exitCode).toBe(1);
});

test('S3ALICDN_STAGE chooses the stage like --stage, and --stage wins over it', async () => {
  const saved = process.env.S3ALICDN_STAGE;
  process.env.S3ALICDN_STAGE = 'staging';
  try {
    expect((await parse(['--base', 'origin/main']))[0].stage).toBe('staging');
    expect((await parse(['--base', 'origin/main', '--stage', 'prod']))[0].stage).toBe('prod');
  } finally {
    if (saved === undefined) delete process.env.S3ALICDN_STAGE;
    else process.env.S3ALICDN_STAGE = saved;
  }
});

test('--base is required and --max-length must be a whole number', async () => {
  await expect(parse([])).rejects.toThrow("required option '--base <ref>' not specified");
  await expect(parse(['--base', 'main', '--max-length', 'lots'])).rejects.toThrow('expected a whole number of characters, got "lots"');
});

describe('exit status', () => {
  async function exitStatusOf(
    args: string[],
    run: (options: RunReviewOptions) => Promise<number>,
  ): Promise<{ status: unknown; errors: string[] }> {
    const errors: string[] = [];
    const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
    addReviewCommand(program, run, (text) => errors.push(text));
    await program.parseAsync(['node', 'cli', 'review', ...args]);
    return { status: process.exitCode, errors };
  }

  test('a stage name the loader refuses is a configuration error: exit 2, before any git or synth', async () => {
    // The real review: it refuses the name before it touches git.
    const { status, errors } = await exitStatusOf(['--base', 'origin/main', '--stage', 'Prod_1'], runReview);
    expect(status).toBe(2);
    expect(errors).toEqual([
      'Invalid configuration in --stage:\n  - stage: "Prod_1" is not allowed: use 1-20 lowercase letters, digits or hyphens, starting with a letter',
    ]);
  });

  test('a review that fails exits 1 with its message', async () => {
    const failing = async (): Promise<number> => {
      throw new ReviewError('base origin/main failed to synthesize');
    };
    const { status, errors } = await exitStatusOf(['--base', 'origin/main'], failing);
    expect(status).toBe(1);
    expect(errors).toEqual(['base origin/main failed to synthesize']);
  });
});
