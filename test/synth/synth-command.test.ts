import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSynth } from '../../lib/cli/synth-command';
import { parseStage } from '../../lib/config/load-stage';
import { OUTPUT_MARKER_FILE, writeOutputMarker } from '../../lib/synth/output-folders';
import { synthesizeStage } from '../../lib/synth/synthesize-stage';
import { CLOUDFORMATION_LIMITS, ROS_TEMPLATE_LIMITS, TemplateLimitError } from '../../lib/synth/template-limits';
import { exampleStageDocument } from '../helpers/stage-fixtures';

/** A throwaway project folder with one stage file and pre-existing output folders holding a sentinel file. */
function projectWith(stageDocument: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-cli-'));
  fs.mkdirSync(path.join(dir, 'config'));
  fs.writeFileSync(path.join(dir, 'config', 'example.json'), JSON.stringify(stageDocument));
  for (const [out, cloud] of [
    ['cdk.out', 'aws'],
    ['ros.out', 'ros'],
  ] as const) {
    fs.mkdirSync(path.join(dir, out));
    fs.writeFileSync(path.join(dir, out, 'sentinel.txt'), 'left by a previous synth');
    writeOutputMarker(path.join(dir, out), cloud);
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

  test('each output folder carries the marker that lets the next synth replace it', () => {
    const dir = projectWith(exampleStageDocument());
    expect(runSynth(options, dir)).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', OUTPUT_MARKER_FILE), 'utf8'))).toEqual({ tool: 's3-alicdn', cloud: 'aws' });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'ros.out', OUTPUT_MARKER_FILE), 'utf8'))).toEqual({ tool: 's3-alicdn', cloud: 'ros' });
    // A second synth replaces its own output without complaint.
    expect(runSynth(options, dir)).toBe(0);
  });

  test('an output folder from before the marker (templates and manifests only) is still replaced', () => {
    const dir = projectWith(exampleStageDocument());
    fs.rmSync(path.join(dir, 'cdk.out'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'cdk.out'));
    for (const name of ['manifest.json', 'tree.json', 'old-origin.template.json', 'cdk.out'])
      fs.writeFileSync(path.join(dir, 'cdk.out', name), '{}');
    expect(runSynth(options, dir)).toBe(0);
    expect(fs.existsSync(path.join(dir, 'cdk.out', 'old-origin.template.json'))).toBe(false);
  });

  describe('an output folder that is not a synth output is refused: exit 2, the flag named, nothing touched', () => {
    /** Every file under the project (but the output folders' own), so "nothing touched" covers the whole tree. */
    function treeOf(dir: string): string[] {
      return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
    }
    function projectWithSources(): string {
      const dir = projectWith(exampleStageDocument());
      fs.mkdirSync(path.join(dir, '.git', 'objects'), { recursive: true });
      fs.writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
      fs.mkdirSync(path.join(dir, 'lib'));
      fs.writeFileSync(path.join(dir, 'lib', 'index.ts'), 'export {};\n');
      fs.writeFileSync(path.join(dir, 'package.json'), '{}');
      fs.mkdirSync(path.join(dir, 'empty'));
      return dir;
    }

    test.each([
      ['the configuration folder', { awsOut: 'config' }, '--aws-out "config": is not empty and is not an output of `synth`'],
      ['the repository', { awsOut: '.git' }, '--aws-out ".git": is not empty and is not an output of `synth`'],
      ['a source folder', { rosOut: 'lib' }, '--ros-out "lib": is not empty and is not an output of `synth`'],
      ['the project root', { awsOut: '.' }, '--aws-out ".": is the project folder or a parent of it'],
      ['a parent of the project', { rosOut: '..' }, '--ros-out "..": is the project folder or a parent of it'],
      ['the other output folder', { awsOut: 'ros.out' }, '--aws-out "ros.out": overlaps --ros-out "ros.out"'],
      ['a previous ROS output', { awsOut: 'ros.out', rosOut: 'ros2.out' }, `--aws-out "ros.out": holds the ROS app's output`],
      ['a folder inside the other', { awsOut: 'out', rosOut: 'out/ros' }, '--aws-out "out": overlaps --ros-out "out/ros"'],
      ['a file', { awsOut: 'package.json' }, '--aws-out "package.json": is a file'],
    ])('%s', (_name, flags, expected) => {
      const dir = projectWithSources();
      const before = treeOf(dir);
      const contents = snapshotOf(dir);
      expect(runSynth({ ...options, ...flags }, dir)).toBe(2);
      expect(errors.join('\n')).toContain(expected);
      expect(errors.join('\n')).toContain('Nothing was written.');
      expect(treeOf(dir)).toEqual(before);
      expect(snapshotOf(dir)).toEqual(contents);
    });

    test('a new or an empty folder is fine', () => {
      const dir = projectWithSources();
      expect(runSynth({ ...options, awsOut: 'empty', rosOut: 'new/ros' }, dir)).toBe(0);
      expect(fs.readdirSync(path.join(dir, 'empty'))).toContain('s3alicdn-example-test-test-com-origin.template.json');
      expect(fs.readdirSync(path.join(dir, 'new', 'ros'))).toContain('s3alicdn-example-test-test-com-cdn.template.json');
    });
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
