// Rewrites the policy-evaluation matrix in README.md from test/aws/policy-matrix.ts (the test checks they match).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderMatrix } from '../test/aws/policy-matrix';

const readmePath = path.join(__dirname, '..', 'README.md');
const START = '<!-- policy-matrix:start -->';
const END = '<!-- policy-matrix:end -->';
const readme = fs.readFileSync(readmePath, 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}`);
fs.writeFileSync(readmePath, `${readme.slice(0, start + START.length)}\n${renderMatrix()}\n${readme.slice(end)}`);
console.log('README.md policy matrix updated');
