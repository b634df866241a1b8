import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { addStageCommands, type StageCommandEnvironment } from '../../lib/cli/stage-commands';
import { acquireDeployLock } from '../../lib/deploy/deploy-lock';
import type { DeployDependencies } from '../../lib/deploy/deploy-stage';
import { recordingReporter } from '../../lib/deploy/reporter';
import { exampleStageDocument } from '../helpers/stage-fixtures';

/**
 * The exit status of every stage command, through commander as a user runs it: 2 when the stage or a flag is
 * invalid (nothing attempted), 1 when the attempt fails. The clouds are replaced by fakes that fail on purpose.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-stage-commands-'));
fs.mkdirSync(path.join(dir, 'config'));
fs.writeFileSync(path.join(dir, 'config', 'example.json'), JSON.stringify(exampleStageDocument()));
const broken = exampleStageDocument();
broken.sites[0].bucket.name = 'Bad_Bucket';
fs.writeFileSync(path.join(dir, 'config', 'broken.json'), JSON.stringify(broken));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const unreachable = async (): Promise<never> => {
  throw new Error('the clouds are not reachable from a test');
};

/** Dependencies whose every cloud call fails, and whose cdk always exits 1. */
function failingDependencies(): DeployDependencies {
  const fails = () => unreachable();
  return {
    preflight: {
      awsCredentials: fails,
      alibabaCredentials: fails,
      accountBlockPublicAccess: fails,
      cdkBootstrap: fails,
      dnsZone: fails,
      certificate: fails,
    },
    synth: () => ({ awsTemplates: [], rosTemplates: [] }),
    cdk: { run: async () => ({ exitCode: 1 }) },
    secretsManager: () => ({ send: fails }),
    iam: () => ({ send: fails }),
    ros: { deploy: fails, preview: fails, destroy: async () => ({ deleted: false }), outputs: fails },
    confirm: async () => false,
    reporter: recordingReporter(),
  } as unknown as DeployDependencies;
}

let errors: string[];

async function exitStatusOf(args: string[], environment: Partial<StageCommandEnvironment> = {}): Promise<number | undefined> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  addStageCommands(program, {
    projectDir: dir,
    dependencies: async () => failingDependencies(),
    printError: (text) => errors.push(text),
    ...environment,
  });
  await program.parseAsync(['node', 'cli', ...args]);
  return process.exitCode === undefined ? undefined : Number(process.exitCode);
}

beforeEach(() => {
  errors = [];
  process.exitCode = undefined;
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => {
  process.exitCode = undefined;
  jest.restoreAllMocks();
});

const commands: Record<string, string[]> = {
  deploy: ['deploy', '--yes'],
  diff: ['diff'],
  verify: ['verify'],
  destroy: ['destroy', '--yes'],
  rotate: ['rotate', '--target', 'reader-key'],
};

describe.each(Object.entries(commands))('%s', (_name, args) => {
  test('a configuration error exits 2 with the field named', async () => {
    expect(await exitStatusOf([...args, '--stage', 'broken'])).toBe(2);
    expect(errors.join('\n')).toContain(
      'Invalid configuration in config/broken.json:\n  - sites[0].bucket.name: "Bad_Bucket" is not allowed',
    );
  });

  test('a stage name the loader refuses exits 2', async () => {
    expect(await exitStatusOf([...args, '--stage', 'Prod_1'])).toBe(2);
    expect(errors.join('\n')).toContain(
      'stage: "Prod_1" is not allowed: use 1-20 lowercase letters, digits or hyphens, starting with a letter',
    );
  });

  test('an unknown --site is a bad flag: exit 2', async () => {
    expect(await exitStatusOf([...args, '--stage', 'example', '--site', 'nope'])).toBe(2);
    expect(errors.join('\n')).toContain('--site: "nope" not in stage "example"; sites: test-test-com');
  });
});

describe('run-time failures exit 1', () => {
  test('deploy: a failed preflight (its summary carries PREFLIGHT_FAILED)', async () => {
    expect(await exitStatusOf(['deploy', '--yes'])).toBe(1);
  });

  // The lock failure ends in the command's summary (JSON with --ci), no longer as a bare error.
  test.each([['deploy', '--yes'], ['diff'], ['destroy', '--yes'], ['rotate', '--target', 'reader-key']])(
    '%s: another run holds the lock',
    async (...args) => {
      const reporter = recordingReporter();
      const lock = acquireDeployLock('example', 'deploy', dir);
      try {
        expect(await exitStatusOf(args, { dependencies: async () => ({ ...failingDependencies(), reporter }) })).toBe(1);
        expect(reporter.summaries).toEqual([expect.objectContaining({ stage: 'example', ok: false, code: 'LOCKED' })]);
        expect(reporter.lines.join('\n')).toContain('Another deploy of stage "example" is running');
      } finally {
        lock.release();
      }
    },
  );

  test('diff: the clouds cannot be reached', async () => {
    expect(await exitStatusOf(['diff'], { dependencies: unreachable })).toBe(1);
    expect(errors).toEqual(['the clouds are not reachable from a test']);
  });

  test('destroy: cdk destroy fails', async () => {
    expect(await exitStatusOf(['destroy', '--yes'])).toBe(1);
  });

  test('verify, outputs and rotate: the stage was never deployed (no outputs file)', async () => {
    for (const args of [['verify'], ['outputs'], ['rotate', '--target', 'reader-key']]) {
      errors = [];
      expect([args[0], await exitStatusOf(args)]).toEqual([args[0], 1]);
      expect(errors.join('\n')).toContain(`${path.join(dir, 'deploy-outputs.example.json')}: not found; run \`npm run deploy\` first`);
    }
  });
});

describe('bad flags exit 2', () => {
  test('deploy: --delete-data without --prune', async () => {
    expect(await exitStatusOf(['deploy', '--yes', '--delete-data'])).toBe(2);
    expect(errors).toEqual(['--delete-data: only with --prune (deploy deletes no data otherwise)']);
  });

  test('outputs: a stage name the loader refuses', async () => {
    expect(await exitStatusOf(['outputs', '--stage', '../secrets'])).toBe(2);
    expect(errors.join('\n')).toContain('stage: "../secrets" is not allowed');
  });

  test('rotate: a negative --grace-hours', async () => {
    expect(await exitStatusOf(['rotate', '--target', 'reader-key', '--grace-hours', '-1'])).toBe(2);
    expect(errors).toEqual(['--grace-hours: "-1" is not allowed; give a number of hours, 0 or more']);
  });

  test.each([['deploy'], ['destroy'], ['rotate', '--target', 'reader-key']])('%s: a --timeout that is not a duration', async (...args) => {
    expect(await exitStatusOf([...args, '--timeout', '10 minutes'])).toBe(2);
    expect(errors).toEqual(['--timeout: "10 minutes" is not allowed; give a duration such as 900, 90s, 15m or 2h']);
  });

  test('deploy: a --review-wait that is not a duration (0 is allowed: do not wait)', async () => {
    expect(await exitStatusOf(['deploy', '--review-wait', 'soon'])).toBe(2);
    expect(errors).toEqual(['--review-wait: "soon" is not allowed; give a duration such as 0, 900, 90s, 15m or 2h']);
    const { parseDuration } = await import('../../lib/cli/options');
    expect(parseDuration('--review-wait', '0', { allowZero: true })).toBe(0);
    expect(parseDuration('--review-wait', '2h', { allowZero: true })).toBe(7_200_000);
    expect(() => parseDuration('--timeout', '0')).toThrow('--timeout: "0" is not allowed');
  });

  test('rotate: a target no site of the stage has', async () => {
    expect(await exitStatusOf(['rotate', '--target', 'referer-secret'])).toBe(2);
  });
});

describe('--timeout', () => {
  test.each([
    ['900', 900_000],
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
  ])('deploy --timeout %s reaches the dependencies as %i ms', async (text, ms) => {
    const seen: Array<string | undefined> = [];
    await exitStatusOf(['deploy', '--yes', '--timeout', text], {
      dependencies: async (_stage, flags) => {
        seen.push(flags.timeout);
        return failingDependencies();
      },
    });
    expect(seen).toEqual([text]);
    const { parseTimeout } = await import('../../lib/cli/options');
    expect(parseTimeout(text)).toBe(ms);
  });
});
