#!/usr/bin/env node
// The command line (bin/cli.ts) as plain JavaScript: what every CLI script of package.json runs (`npm run synth`,
// `deploy`, `publish`, ...), because start-up time is paid on every run.
//
// `node --import tsx bin/cli.ts` spends about 0.5 s more before the program runs: tsx starts a loader thread, and every
// require, the SDKs' included, goes through its hooks. This launcher compiles bin/ and lib/ once, with the esbuild that
// tsx itself runs on (same TypeScript semantics, tsconfig.json read the same way; dynamic import() becomes require(),
// as under jest), into node_modules/.cache/s3-alicdn/cli/<hash>/, a folder named by the hash of every source file, and
// runs the JavaScript from there. A changed, added or removed file gives a new hash and so a new folder: nothing is
// ever run from stale output, and two processes compiling at once each write their own folder and keep whichever was
// renamed into place first. Cost: reading and hashing the sources at each start (a few ms) and, after a change or in
// a fresh clone, compiling them all (about 0.5 s, once).
//
// Should anything of that fail (no esbuild, a read-only node_modules, a file esbuild refuses), the command runs
// through tsx as before, with the same arguments. S3ALICDN_CLI_COMPILE=0 forces that path; S3ALICDN_CLI_COMPILE=1
// makes a failure to compile an error instead (the tests use both). The output must stay under the project's
// node_modules, where its requires of the dependencies resolve.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const PROJECT = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['bin', 'lib'];
/** Part of the hash: raise it when the compile options below change, so no output of the old options is reused. */
const FORMAT = 1;
/** Output folders of other hashes are removed once they are this old (a long-running command may still need its own). */
const STALE_MS = 24 * 60 * 60 * 1000;

/** Every file the compiled program is made of, relative to the project, in a stable order. */
function sourceFiles() {
  const files = [];
  for (const dir of SOURCE_DIRS) {
    for (const entry of fs.readdirSync(path.join(PROJECT, dir), { recursive: true, withFileTypes: true })) {
      const isSource = (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) || entry.name.endsWith('.json');
      if (entry.isFile() && isSource) files.push(path.relative(PROJECT, path.join(entry.parentPath ?? entry.path, entry.name)));
    }
  }
  return files.sort();
}

function loadEsbuild() {
  // tsx depends on esbuild; resolving it from tsx's folder finds the very copy tsx uses, hoisted or not.
  const tsxDir = path.dirname(require.resolve('tsx/package.json', { paths: [PROJECT] }));
  return require(require.resolve('esbuild', { paths: [tsxDir] }));
}

/** The folder holding bin/cli.js compiled from the current sources, compiled now if no process has done so yet. */
function compiledProgram() {
  const esbuild = loadEsbuild();
  const files = sourceFiles();
  const hash = crypto.createHash('sha256');
  hash.update(`format ${FORMAT}\0esbuild ${esbuild.version}\0`);
  hash.update(fs.readFileSync(path.join(PROJECT, 'tsconfig.json')));
  for (const file of files) {
    hash.update(`\0${file}\0`);
    hash.update(fs.readFileSync(path.join(PROJECT, file)));
  }
  const root = path.join(PROJECT, 'node_modules', '.cache', 's3-alicdn', 'cli');
  const name = hash.digest('hex').slice(0, 20);
  const target = path.join(root, name);
  if (fs.existsSync(path.join(target, 'bin', 'cli.js'))) return target;

  fs.mkdirSync(root, { recursive: true });
  const staging = fs.mkdtempSync(path.join(root, `.${name}-`));
  try {
    esbuild.buildSync({
      entryPoints: files.filter((file) => file.endsWith('.ts')).map((file) => path.join(PROJECT, file)),
      outdir: staging,
      outbase: PROJECT,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      tsconfig: path.join(PROJECT, 'tsconfig.json'),
      // import() of project modules becomes require(): the output is CommonJS, resolved as CommonJS.
      supported: { 'dynamic-import': false },
      logLevel: 'silent',
    });
    for (const file of files.filter((candidate) => candidate.endsWith('.json'))) {
      fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
      fs.copyFileSync(path.join(PROJECT, file), path.join(staging, file));
    }
    // The output is CommonJS whatever the folders above it say.
    fs.writeFileSync(path.join(staging, 'package.json'), '{ "type": "commonjs" }\n');
    try {
      fs.renameSync(staging, target);
    } catch (error) {
      // Another process renamed its (identical) output into place first: use that one.
      if (!fs.existsSync(path.join(target, 'bin', 'cli.js'))) throw error;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  removeStaleOutput(root, name);
  return target;
}

function removeStaleOutput(root, current) {
  try {
    for (const entry of fs.readdirSync(root)) {
      const folder = path.join(root, entry);
      if (entry !== current && Date.now() - fs.statSync(folder).mtimeMs > STALE_MS) fs.rmSync(folder, { recursive: true, force: true });
    }
  } catch {
    // Tidying up is optional; a folder another process removed first is fine.
  }
}

let program;
if (process.env.S3ALICDN_CLI_COMPILE !== '0') {
  try {
    program = path.join(compiledProgram(), 'bin', 'cli.js');
  } catch (error) {
    if (process.env.S3ALICDN_CLI_COMPILE === '1') throw error;
    program = undefined;
  }
}
if (program) {
  require(program);
} else {
  // What `node --import tsx bin/cli.ts` does, in this process.
  import('tsx').then(() => import(pathToFileURL(path.join(PROJECT, 'bin', 'cli.ts')).href));
}
