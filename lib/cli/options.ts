import { Option } from 'commander';
import { DEFAULT_STAGE } from '../config/load-stage';

/**
 * The flags several commands share, defined once so that `--stage` means the same thing (same default, same
 * environment variable) for synth, the stage commands and review. Factories, because commander owns an Option
 * once it is added to a command.
 */
export const stageOption = (): Option =>
  new Option('-s, --stage <name>', 'stage to use: config/<name>.json').env('S3ALICDN_STAGE').default(DEFAULT_STAGE);

export const siteOption = (): Option => new Option('--site <id...>', 'only these sites (site id such as test-test-com, or its domain)');

export const profileOption = (): Option => new Option('--profile <name>', 'AWS profile (default: AWS_PROFILE or the default chain)');

export const regionOption = (): Option =>
  new Option('--region <region>', "AWS region for account-wide calls (default: the first site's bucket region)");
