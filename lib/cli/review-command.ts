/** Adds `review` to the project CLI (commander). The program owns the command line; this owns the review's flags. */

import { type Command, InvalidArgumentError } from 'commander';
import type { RunReviewOptions } from '../review/run-review';
import { reportCommandFailure } from './command-failure';
import { stageOption } from './options';

// Loaded on use: the diff engine costs most of a second, which other commands and --help should not pay.
const runReviewLazily = async (options: RunReviewOptions): Promise<number> => (await import('../review/run-review')).runReview(options);

function nonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number of characters, got ${JSON.stringify(value)}`);
  return Number(value);
}

export function addReviewCommand(
  program: Command,
  run: (options: RunReviewOptions) => Promise<number> = runReviewLazily,
  printError: (text: string) => void = console.error,
): Command {
  return program
    .command('review')
    .description(
      "Synthesize the base ref and the working tree without credentials and write a markdown diff of both clouds' templates for a pull-request comment. " +
        'Exit 2 for a bad stage or flag, 1 when the review fails (or, with --fail-on-destructive, finds a replacement or deletion).',
    )
    .requiredOption('--base <ref>', 'git ref to compare against, e.g. origin/main')
    .addOption(stageOption())
    .option('--out <file>', 'markdown file to write', 'review.md')
    .option('--fail-on-destructive', 'exit with code 1 when a resource would be replaced or deleted', false)
    .option('--max-length <chars>', 'longest markdown to write (0 = no limit)', nonNegativeInteger)
    .action(async (flags: { base: string; stage: string; out: string; failOnDestructive: boolean; maxLength?: number }) => {
      try {
        process.exitCode = await run({
          base: flags.base,
          stage: flags.stage,
          out: flags.out,
          failOnDestructive: flags.failOnDestructive,
          maxLength: flags.maxLength,
        });
      } catch (error) {
        process.exitCode = reportCommandFailure(error, printError);
      }
    });
}
