import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { deployStage } from '../../lib/deploy/deploy-stage';
import { destroyStage } from '../../lib/deploy/destroy-stage';
import { diffStage } from '../../lib/deploy/diff-stage';
import { trackUnhandledRejections } from '../doubles/ros-harness';
import { exampleStageWith } from '../helpers/stage-fixtures';
import { useStageWorld, world, worldDependencies } from './stage-world';

/*
 * diff and destroy call both clouds too. Without credentials they print the same preflight lines a deploy prints,
 * and stop there: before destroy's question, before any secret is read or any stack is touched.
 */
const rejections = trackUnhandledRejections();
useStageWorld();
afterAll(() => expect(rejections).toEqual([]));

function withoutAwsCredentials(): void {
  // What the SDK's default provider chain throws when no profile, environment or instance role gives credentials.
  mockClient(world.sts)
    .on(GetCallerIdentityCommand)
    .rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
}

const credentialLines = (lines: readonly string[]) =>
  lines.filter((line) => /^(info|warn): [✓✗] (AWS credentials|Alibaba Cloud credentials):/.test(line));

async function deployLines(): Promise<string[]> {
  const deps = worldDependencies(exampleStageWith());
  await deployStage(exampleStageWith(), deps, { projectDir: world.dir, yes: true });
  return credentialLines(deps.reporter.lines);
}

test('diff without AWS credentials: the deploy preflight lines, then nothing compared', async () => {
  withoutAwsCredentials();
  const expected = await deployLines();
  expect(expected[0]).toMatch(/^warn: ✗ AWS credentials: No usable AWS credentials found/);
  world.cdkCalls.length = 0;
  const callsBefore = world.server.calls.length;

  const deps = worldDependencies(exampleStageWith());
  const code = await diffStage(exampleStageWith(), deps, { projectDir: world.dir });
  expect(code).toBe(1);
  expect(credentialLines(deps.reporter.lines)).toEqual(expected);
  expect(deps.reporter.lines).toContain(
    'warn: Preflight failed; nothing was compared. Fix the lines marked ✗ above and run the diff again.',
  );
  expect(world.cdkCalls).toEqual([]);
  expect(world.server.calls.slice(callsBefore).filter((call) => call.version === '2019-09-10')).toEqual([]);
});

test('destroy without AWS credentials: the deploy preflight lines before the question, which is never asked', async () => {
  withoutAwsCredentials();
  const expected = await deployLines();
  world.cdkCalls.length = 0;
  const questions: string[] = [];
  const deps = worldDependencies(exampleStageWith());
  const code = await destroyStage(
    exampleStageWith(),
    { ...deps, confirm: async (question) => (questions.push(question), true), s3: () => new S3Client({ region: 'ap-northeast-2' }) },
    { projectDir: world.dir, yes: false, deleteData: false },
  );
  expect(code).toBe(1);
  expect(questions).toEqual([]);
  expect(credentialLines(deps.reporter.lines)).toEqual(expected);
  expect(world.cdkCalls).toEqual([]);
  expect(world.server.calls.filter((call) => call.action === 'DeleteStack')).toEqual([]);
});

test('destroy with credentials for another account than the stage is pinned to stops before the question', async () => {
  const stage = exampleStageWith();
  const pinned = { ...stage, aws: { account: '999999999999' } };
  const questions: string[] = [];
  const deps = worldDependencies(pinned);
  const code = await destroyStage(
    pinned,
    { ...deps, confirm: async (question) => (questions.push(question), true), s3: () => new S3Client({ region: 'ap-northeast-2' }) },
    { projectDir: world.dir, yes: false, deleteData: true },
  );
  expect(code).toBe(1);
  expect(questions).toEqual([]);
  expect(deps.reporter.lines.join('\n')).toContain('but stage "example" is pinned to 999999999999');
});

test('with credentials, destroy checks them first and then asks', async () => {
  const questions: string[] = [];
  const deps = worldDependencies(exampleStageWith());
  await destroyStage(
    exampleStageWith(),
    { ...deps, confirm: async (question) => (questions.push(question), false), s3: () => new S3Client({ region: 'ap-northeast-2' }) },
    { projectDir: world.dir, yes: false, deleteData: false },
  );
  expect(credentialLines(deps.reporter.lines)).toHaveLength(2);
  expect(questions).toHaveLength(1);
});
