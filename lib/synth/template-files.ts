import * as fs from 'node:fs';
import * as path from 'node:path';

/** The template files of a synthesized output folder (`*.template.json`), sorted, as full paths. */
export function templatesIn(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.template.json'))
    .sort()
    .map((name) => path.join(dir, name));
}
