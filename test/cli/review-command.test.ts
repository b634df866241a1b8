import { Command } from 'commander';
import { addReviewCommand } from '../../lib/cli/review-command';
import type { RunReviewOptions } from '../../lib/review/run-review';

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

test('--base is required and --max-length must be a whole number', async () => {
  await expect(parse([])).rejects.toThrow("required option '--base <ref>' not specified");
  await expect(parse(['--base', 'main', '--max-length', 'lots'])).rejects.toThrow('expected a whole number of characters, got "lots"');
});
