import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { ORIGIN_ACCESS_MODES } from '../../lib/config/schema';
import { PROJECT_DIR } from '../helpers/stage-fixtures';

/**
 * Which origin-access mode a site uses is decided once, in lib/origin-access; everything else asks the mode object
 * (`originAccessFor(site)`) instead of comparing its name. A mode name written as a string literal anywhere else is
 * such a comparison, or a table keyed by mode, so it fails here. Only the schema may spell the names: it lists them,
 * picks the default, and says which mode reads each option (lib/config sits below lib/origin-access and cannot ask it).
 */
const LIB = path.join(PROJECT_DIR, 'lib');
const MODE_HOME = 'lib/origin-access/';
const ALLOWED = new Set(['lib/config/schema.ts']);

function typeScriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every string literal (quoted or a template without substitutions) whose whole text is a mode name, with its line. */
function modeNameLiterals(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const names = new Set<string>(ORIGIN_ACCESS_MODES);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && names.has(node.text)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push(`${path.relative(PROJECT_DIR, file)}:${line + 1}: '${node.text}'`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('mode names live in lib/origin-access', () => {
  const files = typeScriptFiles(LIB).filter((file) => {
    const relative = path.relative(PROJECT_DIR, file).split(path.sep).join('/');
    return !relative.startsWith(MODE_HOME) && !ALLOWED.has(relative);
  });

  test('no file outside lib/origin-access (and the schema) has a mode name as a string literal', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(modeNameLiterals)).toEqual([]);
  });

  test('the scan finds a mode name where one is written', () => {
    // The check itself, on the files that are allowed to spell the names: it must see them there.
    expect(modeNameLiterals(path.join(LIB, 'config/schema.ts'))).not.toEqual([]);
    expect(modeNameLiterals(path.join(LIB, 'origin-access/signed.ts'))).not.toEqual([]);
  });
});
