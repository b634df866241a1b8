import * as fs from 'node:fs';
import * as path from 'node:path';
import { S3AlicdnError } from '../errors';

/**
 * Synth replaces its output folders wholesale, so a folder named by mistake (`--aws-out config`, `.git`, `.`) would
 * be deleted. Before anything is written, each output folder must be new, empty, or a previous synth output of the
 * same app, proven by the marker file this module writes into every output folder.
 */
export type OutputCloud = 'aws' | 'ros';

export const OUTPUT_MARKER_FILE = '.s3alicdn-synth-output.json';

interface OutputMarker {
  readonly tool: 's3-alicdn';
  readonly cloud: OutputCloud;
}

export interface OutputFolder {
  readonly cloud: OutputCloud;
  /** Absolute path. */
  readonly dir: string;
  /** How the user named it, for the message: `--aws-out`. */
  readonly flag: string;
}

/** Written into each staging folder before the swap, so the next synth knows the folder is its own. */
export function writeOutputMarker(dir: string, cloud: OutputCloud): void {
  const marker: OutputMarker = { tool: 's3-alicdn', cloud };
  fs.writeFileSync(path.join(dir, OUTPUT_MARKER_FILE), `${JSON.stringify(marker)}\n`);
}

/** Throws a USAGE error (exit 2) naming the flag when a folder is not safe to replace. Touches nothing. */
export function assertReplaceableOutputFolders(projectDir: string, folders: readonly OutputFolder[]): void {
  const root = path.resolve(projectDir);
  const refusal = (folder: OutputFolder) => (why: string) => {
    throw new S3AlicdnError(
      'USAGE',
      `${folder.flag} ${JSON.stringify(path.relative(root, folder.dir) || '.')}: ${why}. Synth replaces its output folder wholesale; ` +
        'name a new or empty folder, or a previous output of this app. Nothing was written.',
    );
  };
  for (const folder of folders) {
    if (folder.dir === root || isInside(root, folder.dir)) refusal(folder)('is the project folder or a parent of it');
  }
  for (const folder of folders) {
    const refuse = refusal(folder);
    for (const other of folders) {
      if (other === folder) continue;
      if (other.dir === folder.dir || isInside(other.dir, folder.dir) || isInside(folder.dir, other.dir)) {
        refuse(`overlaps ${other.flag} ${JSON.stringify(path.relative(root, other.dir) || '.')}, the other app's output folder`);
      }
    }
    const kind = outputKindOf(folder.dir);
    if (kind === 'absent' || kind === 'empty' || kind === folder.cloud || kind === 'legacy') continue;
    if (kind === 'aws' || kind === 'ros') refuse(`holds the ${kind === 'aws' ? 'AWS' : 'ROS'} app's output, the other output folder`);
    refuse(kind === 'file' ? 'is a file' : 'is not empty and is not an output of `synth` (it has no synth marker)');
  }
}

/** Inside `dir` (strictly below it). */
function isInside(child: string, dir: string): boolean {
  const relative = path.relative(dir, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

type OutputKind = 'absent' | 'empty' | 'file' | OutputCloud | 'legacy' | 'foreign';

function outputKindOf(dir: string): OutputKind {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' && isFile(dir)) return 'file';
    // Not there, or a parent is not a folder: nothing to replace (and writing it fails later on its own).
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'absent';
    throw error;
  }
  if (entries.length === 0) return 'empty';
  if (entries.some((entry) => entry.name === OUTPUT_MARKER_FILE)) {
    try {
      const marker = JSON.parse(fs.readFileSync(path.join(dir, OUTPUT_MARKER_FILE), 'utf8')) as Partial<OutputMarker>;
      if (marker.tool === 's3-alicdn' && (marker.cloud === 'aws' || marker.cloud === 'ros')) return marker.cloud;
    } catch {
      // An unreadable marker proves nothing.
    }
    return 'foreign';
  }
  // Written before the marker existed: only JSON files (templates, manifests, outputs), at least one template.
  const legacy =
    entries.every((entry) => entry.isFile() && (entry.name.endsWith('.json') || entry.name === 'cdk.out')) &&
    entries.some((entry) => entry.name.endsWith('.template.json'));
  return legacy ? 'legacy' : 'foreign';
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
