import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { stageWithSites } from './many-sites-stage';

export const PROJECT_DIR = path.resolve(__dirname, '..', '..');
const BASELINE_TEMPLATE = path.join(__dirname, 'baseline-app');

/** Files a user's checkout has that `npm run synth` reads; linked, so the bench runs this very code. */
const PROJECT_ENTRIES = ['bin', 'lib', 'node_modules', 'package.json', 'tsconfig.json', 'cdk.json', 'ros.json'];

/**
 * A throwaway copy of the project whose `config/example.json` holds `sites` sites, so `npm run synth` runs exactly
 * as a user types it. Code and node_modules are symlinks to this checkout; only config and outputs are the copy's.
 */
export function synthWorkspace(sites: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `s3alicdn-bench-${sites}-sites-`));
  for (const entry of PROJECT_ENTRIES) fs.symlinkSync(path.join(PROJECT_DIR, entry), path.join(dir, entry));
  fs.mkdirSync(path.join(dir, 'config'));
  fs.writeFileSync(path.join(dir, 'config', 'example.json'), `${JSON.stringify(stageWithSites(sites), null, 2)}\n`);
  return dir;
}

/**
 * The baseline as `cdk init app --language typescript` would run it (ts-node on bin/baseline.ts with its tsconfig),
 * and the same two files transpiled to plain JavaScript under js/ (types stripped, nothing else changed).
 */
export function baselineWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-bench-baseline-'));
  fs.cpSync(BASELINE_TEMPLATE, dir, { recursive: true });
  fs.symlinkSync(path.join(PROJECT_DIR, 'node_modules'), path.join(dir, 'node_modules'));
  for (const file of ['bin/baseline.ts', 'lib/baseline-stack.ts']) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true },
      fileName: file,
    });
    const out = path.join(dir, 'js', file.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, outputText);
  }
  return dir;
}

export function removeWorkspace(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
