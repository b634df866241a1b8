import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSynth } from '../../lib/cli/synth-command';
import { parseStage } from '../../lib/config/load-stage';
import { synthesizeStage } from '../../lib/synth/synthesize-stage';
import { CLOUDFORMATION_LIMITS, ROS_TEMPLATE_LIMITS, TemplateLimitError } from '../../lib/synth/template-limits';
import { exampleStageDocument } from '../helpers/stage-fixtures';

/** A throwaway project folder with one stage file and pre-existing output folders holding a sentinel file. */
function projectWith(stageDocument: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-cli-'));
  fs.mkdirSync(path.join(dir, 'config'));
  fs.writeFileSync(path.join(dir, 'config', 'example.json'), JSON.stringify(stageDocument));
  for (const out of ['cdk.out', 'ros.out']) {
    fs.mkdirSync(path.join(dir, out));
    fs.writeFileSync(path.join(dir, out, 'sentinel.txt'), 'left by a previous synth');
  }
  return dir;
}

function snapshotOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const out of ['cdk.out', 'ros.out']) {
    for (const name of fs.readdirSync(path.join(dir, out))) files[`${out}/${name}`] = fs.readFileSync(path.join(dir, out, name), 'utf8');
  }
  return files;
}

const options = { stage: 'example', awsOut: 'cdk.out', rosOut: 'ros.out', quiet: true };

describe('synth command', () => {
  let errors: string[];
  beforeEach(() => {
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((message: string) => void errors.push(message));
  });
  afterEach(() => jest.restoreAllMocks());

  test.each([
    ['bad bucket name', (value: any) => (value.bucket.name = 'Bad_Bucket'), 'sites[0].bucket.name: "Bad_Bucket" is not allowed'],
    ['unknown mode', (value: any) => (value.originAccess = { mode: 'open' }), 'sites[0].originAccess.mode: "open" is not allowed'],
    ['zone not a suffix', (value: any) => (value.dns.zone = 'example.org'), 'sites[0].dns.zone: "example.org" is not allowed'],
  ])('a bad configuration (%s) exits 2, names the field and leaves the output folders untouched', (_name, change, expected) => {
    const document = exampleStageDocument();
    change(document.sites[0]);
    const dir = projectWith(document);
    const before = snapshotOf(dir);
    expect(runSynth(options, dir)).toBe(2);
    expect(errors.join('\n')).toContain(expected);
    expect(snapshotOf(dir)).toEqual(before);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('.synth-staging-'))).toEqual([]);
  });

  test('a failure while synthesizing exits 1 and says synth failed', () => {
    const dir = projectWith(exampleStageDocument());
    // An output folder inside a file: the configuration is fine, the run itself cannot complete.
    fs.writeFileSync(path.join(dir, 'blocker'), 'not a folder');
    expect(runSynth({ ...options, awsOut: 'blocker/cdk.out' }, dir)).toBe(1);
    expect(errors.join('\n')).toMatch(/^Synth failed: /);
  });

  test('a good configuration replaces both output folders with the new templates', () => {
    const dir = projectWith(exampleStageDocument());
    expect(runSynth(options, dir)).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'cdk.out'))).toContain('s3alicdn-example-test-test-com-origin.template.json');
    expect(fs.readdirSync(path.join(dir, 'ros.out'))).toContain('s3alicdn-example-test-test-com-cdn.template.json');
    expect(fs.existsSync(path.join(dir, 'cdk.out', 'sentinel.txt'))).toBe(false);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('.synth-staging-') || name.includes('.old-'))).toEqual([]);
  });

  test('an unknown --site is refused (exit 2, a bad flag) before anything is written', () => {
    const dir = projectWith(exampleStageDocument());
    const before = snapshotOf(dir);
    expect(runSynth({ ...options, site: ['nope'] }, dir)).toBe(2);
    expect(errors.join('\n')).toContain('--site: "nope" not in stage "example"; sites: test-test-com');
    expect(snapshotOf(dir)).toEqual(before);
  });
});

// Here rather than in template-limits.test.ts: this file has already loaded CDK's validation engine for the synth above.
describe('deployment limits are checked by synth itself', () => {
  test('a stage over a limit fails synth with every violation named, and leaves the output folders untouched', () => {
    const dir = projectWith(exampleStageDocument());
    const before = snapshotOf(dir);
    const tight = { cloudFormation: { ...CLOUDFORMATION_LIMITS, maxResources: 3 }, ros: { ...ROS_TEMPLATE_LIMITS, maxParameters: 2 } };
    let thrown: unknown;
    try {
      synthesizeStage(parseStage(exampleStageDocument(), 'example'), { projectDir: dir, limits: tight });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TemplateLimitError);
    const message = (thrown as Error).message;
    expect(message).toMatch(/^Synthesized templates exceed deployment limits \(nothing was written to the output folders\):/);
    expect(message).toMatch(
      /cdk\.out\/s3alicdn-example-test-test-com-origin\.template\.json: \d+ resources; CloudFormation allows at most 3\./,
    );
    expect(message).toMatch(/ros\.out\/s3alicdn-example-test-test-com-cdn\.template\.json: \d+ parameters; ROS allows at most 2\./);
    expect(snapshotOf(dir)).toEqual(before);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('.synth-staging-'))).toEqual([]);
  });
});
