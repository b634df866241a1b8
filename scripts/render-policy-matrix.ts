// Rewrites the policy-evaluation matrix in docs/origin-access.md from test/aws/policy-matrix.ts (the test checks they match).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MATRIX_DOC, renderMatrix } from '../test/aws/policy-matrix';

const docPath = path.join(__dirname, '..', MATRIX_DOC);
const START = '<!-- policy-matrix:start -->';
const END = '<!-- policy-matrix:end -->';
const doc = fs.readFileSync(docPath, 'utf8');
const start = doc.indexOf(START);
const end = doc.indexOf(END);
if (start < 0 || end < start) throw new Error(`${MATRIX_DOC} needs the markers ${START} and ${END}`);
fs.writeFileSync(docPath, `${doc.slice(0, start + START.length)}\n${renderMatrix()}\n${doc.slice(end)}`);
console.log(`${MATRIX_DOC} policy matrix updated`);
