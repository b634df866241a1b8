import { Command } from 'commander';
import { reportCommandFailure } from './command-failure';
import { siteOption, stageOption } from './options';
import { addReviewCommand } from './review-command';
import { addStageCommands } from './stage-commands';

/**
 * The project's command line. Each command loads its implementation lazily, so `--help` and a config error answer
 * without loading aws-cdk-lib, the ROS libraries or any cloud SDK.
 */
export function buildProgram(): Command {
  const program = new Command()
    .name('s3-alicdn')
    .description(
      'An S3 bucket served through Alibaba Cloud CDN: synthesize, deploy, verify and review both stacks. ' +
        'Exit status: 0 success, 1 a failure (or a declined change), 2 a bad flag or configuration.',
    )
    .showHelpAfterError();
  addSynthCommand(program);
  addStageCommands(program);
  addReviewCommand(program);
  return program;
}

export function addSynthCommand(program: Command): Command {
  return program
    .command('synth')
    .description(
      'Synthesize both apps for a stage: AWS templates to cdk.out, ROS templates to ros.out. Needs no credentials. Exit 2 for a bad configuration.',
    )
    .addOption(stageOption())
    .addOption(siteOption())
    .option('--aws-out <dir>', 'output folder of the AWS app', 'cdk.out')
    .option('--ros-out <dir>', "output folder of the ROS app (default: ros.json's output)")
    .option('-q, --quiet', 'print nothing on success')
    .action(async (options) => {
      const { runSynth } = await import('./synth-command');
      process.exitCode = runSynth(options);
    });
}

/** Runs the command line; a failure no command caught still exits with its code's status. */
export async function runProgram(argv: readonly string[], program: Command = buildProgram()): Promise<void> {
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    process.exitCode = reportCommandFailure(error);
  }
}
