import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOutputSet } from '../../lib/review/output-set';
import { AWS_STACK, FIXTURES, ROS_STACK } from './fixture-templates';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-set-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('reads AWS templates from cdk.out and ROS templates from ros.out, ignoring other files', () => {
  const stacks = loadOutputSet(path.join(FIXTURES, 'base'));
  expect(stacks.map((stack) => [stack.cloud, stack.stackName])).toEqual([
    ['aws', AWS_STACK],
    ['ros', ROS_STACK],
  ]);
  expect(stacks[1].template.ROSTemplateFormatVersion).toBe('2015-09-01');
});

test('an output set without any template is an error', () => {
  fs.mkdirSync(path.join(dir, 'cdk.out'));
  fs.writeFileSync(path.join(dir, 'cdk.out', 'manifest.json'), '{}');
  expect(() => loadOutputSet(dir)).toThrow(`no synthesized templates in ${dir}`);
});

test('a template that is not JSON names the file', () => {
  fs.mkdirSync(path.join(dir, 'ros.out'));
  const file = path.join(dir, 'ros.out', 'Broken.template.json');
  fs.writeFileSync(file, '{"Resources": ');
  expect(() => loadOutputSet(dir)).toThrow(`cannot read template ${file}`);
  fs.writeFileSync(file, '[]');
  expect(() => loadOutputSet(dir)).toThrow(`template ${file} is not a JSON object`);
});
