import { destroyStage } from '../../lib/deploy/destroy-stage';
import { acquireDeployLock } from '../../lib/deploy/deploy-lock';
import { deployStage } from '../../lib/deploy/deploy-stage';
import { diffStage } from '../../lib/deploy/diff-stage';
import { createReporter } from '../../lib/deploy/reporter';
import { rotateStage } from '../../lib/deploy/rotate-stage';
import { trackUnhandledRejections } from '../doubles/ros-harness';
import { exampleStageWith } from '../helpers/stage-fixtures';
import { useStageWorld, world, worldDependencies } from './stage-world';

/**
 * Every stage command that synthesizes into the stage's folders, reads what a deploy writes or changes a cloud takes
 * the stage lock first: before it asks a question, touches a secret or calls a cloud. A command that cannot get it
 * still ends with its summary (JSON on stdout with --ci) and exit status 1.
 */
const rejections = trackUnhandledRejections();
afterAll(() => expect(rejections).toEqual([]));
useStageWorld();

const stage = exampleStageWith();

/** The world's dependencies with a --ci reporter whose stdout is captured, and a confirm that records being asked. */
function lockedWorld() {
  const stdout: string[] = [];
  const asked: string[] = [];
  const reporter = createReporter({ ci: true, streams: { out: (text) => void stdout.push(text), err: () => undefined } });
  const deps = { ...worldDependencies(stage), reporter, confirm: async (question: string) => (asked.push(question), true) };
  const held = acquireDeployLock('example', 'deploy', world.dir);
  return { deps, stdout, asked, held };
}

const commands = {
  deploy: async (deps: ReturnType<typeof lockedWorld>['deps']) => {
    const summary = await deployStage(stage, deps, { projectDir: world.dir, yes: false });
    return summary.ok ? 0 : 1;
  },
  diff: (deps: ReturnType<typeof lockedWorld>['deps']) => diffStage(stage, deps, { projectDir: world.dir }),
  destroy: (deps: ReturnType<typeof lockedWorld>['deps']) =>
    destroyStage(
      stage,
      { ...deps, s3: () => ({ send: async () => ({}) }) as never },
      { projectDir: world.dir, yes: false, deleteData: false },
    ),
  rotate: (deps: ReturnType<typeof lockedWorld>['deps']) =>
    rotateStage(stage, deps, { projectDir: world.dir, yes: false, target: 'reader-key' }),
} as const;

test.each(Object.keys(commands) as Array<keyof typeof commands>)(
  '%s: a stage locked by another run: exit 1, the JSON summary, nothing asked, nothing called',
  async (command) => {
    const { deps, stdout, asked, held } = lockedWorld();
    try {
      expect(await commands[command](deps)).toBe(1);
    } finally {
      held.release();
    }
    const summary = JSON.parse(stdout.join(''));
    expect(summary).toMatchObject({ stage: 'example', ok: false, code: 'LOCKED' });
    expect(summary.error).toContain('Another deploy of stage "example" is running');
    expect(asked).toEqual([]);
    expect(world.server.calls).toEqual([]);
    expect(world.cdkCalls).toEqual([]);
    expect(world.secrets.mock.calls()).toEqual([]);
    expect(world.iam.mock.calls()).toEqual([]);
  },
);

test('rotate holds the lock through its deploys, and releases it at the end', async () => {
  const deps = worldDependencies(stage);
  expect((await deployStage(stage, deps, { projectDir: world.dir, yes: true })).ok).toBe(true);
  expect(await rotateStage(stage, deps, { projectDir: world.dir, yes: true, target: 'reader-key' })).toBe(0);
  acquireDeployLock('example', 'deploy', world.dir).release();
});
