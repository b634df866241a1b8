#!/usr/bin/env node
import { Command, Option } from 'commander';
import { addStageCommands } from '../lib/cli/stage-commands';
import { addReviewCommand } from '../lib/review/review-command';

/**
 * The project's command line. Each command loads its implementation lazily, so `--help` and a config error answer
 * without loading aws-cdk-lib, the ROS libraries or any cloud SDK.
 */
const program = new Command()
  .name('s3-alicdn')
  .description('An S3 bucket served through Alibaba Cloud CDN: synthesize, deploy, verify and review both stacks.')
  .showHelpAfterError();

const stageOption = () =>
  new Option('-s, --stage <name>', 'stage to use: config/<name>.json').env('S3ALICDN_STAGE').default('example');
const siteOption = () => new Option('--site <id...>', 'only these sites (site id such as test-test-com, or its domain)');

program
  .command('synth')
  .description('Synthesize both apps for a stage: AWS templates to cdk.out, ROS templates to ros.out. Needs no credentials.')
  .addOption(stageOption())
  .addOption(siteOption())
  .option('--aws-out <dir>', 'output folder of the AWS app', 'cdk.out')
  .option('--ros-out <dir>', "output folder of the ROS app (default: ros.json's output)")
  .option('-q, --quiet', 'print nothing on success')
  .action(async (options) => {
    const { runSynth } = await import('../lib/cli/synth-command');
    process.exitCode = runSynth(options);
  });

addStageCommands(program);
addReviewCommand(program);

// `npm run synth | head` closes the pipe early; that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
