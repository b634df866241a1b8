import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadStageOrExit, stageFromEnvironment } from '../../lib/cli/app-entry';
import { exampleStageDocument } from '../helpers/stage-fixtures';

/** The CDK and ROS app entries (bin/aws-app.ts, bin/ros-app.ts) exit as `npm run synth` does: 2 for a bad stage. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-app-entry-'));
fs.mkdirSync(path.join(dir, 'config'));
fs.writeFileSync(path.join(dir, 'config', 'example.json'), JSON.stringify(exampleStageDocument()));
fs.writeFileSync(path.join(dir, 'config', 'unreadable.json'), '');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

class Exited extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}
const exit = (status: number): never => {
  throw new Exited(status);
};

let errors: string[];
beforeEach(() => {
  errors = [];
  jest.spyOn(console, 'error').mockImplementation((message: string) => void errors.push(message));
});
afterEach(() => jest.restoreAllMocks());

function statusOf(run: () => unknown): number | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof Exited) return error.status;
    throw error;
  }
}

test('a good stage loads without exiting', () => {
  expect(loadStageOrExit('example', dir, exit).stage).toBe('example');
});

test('a configuration error exits 2 and names the problem', () => {
  expect(statusOf(() => loadStageOrExit('prod', dir, exit))).toBe(2);
  expect(errors).toEqual([
    'Invalid configuration in config/prod.json:\n  - stage: "prod" is not allowed: no such file; known stages: example, unreadable',
  ]);
  errors = [];
  expect(statusOf(() => loadStageOrExit('Prod_1', dir, exit))).toBe(2);
  expect(errors.join('\n')).toContain('stage: "Prod_1" is not allowed');
});

test('the stage comes from S3ALICDN_STAGE, then -c stage=, then the project file, then the default', () => {
  expect(stageFromEnvironment({ S3ALICDN_STAGE: 'prod' })).toBe('prod');
  expect(stageFromEnvironment({ CDK_CONTEXT_JSON: JSON.stringify({ stage: 'qa' }) })).toBe('qa');
  expect(stageFromEnvironment({}, { stage: 'staging' })).toBe('staging');
  expect(stageFromEnvironment({})).toBe('example');
});
