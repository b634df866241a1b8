import * as fs from 'node:fs';
import * as path from 'node:path';
import { stageSchema } from '../../lib/config/schema';

/**
 * The README's configuration tables are the user's reference: every field the schema accepts must be there, either
 * as its own row (`dns.zone`) or, for the fields of an object described in one row, quoted in that row (`"fileTypes"`
 * in the `cache.byFileType[]` row).
 */

interface SchemaNode {
  def?: { type?: string; innerType?: SchemaNode; element?: SchemaNode; shape?: Record<string, SchemaNode>; options?: SchemaNode[] };
}

function unwrap(node: SchemaNode): SchemaNode {
  let current = node;
  while (current.def && ['optional', 'default', 'prefault', 'nullable', 'pipe'].includes(current.def.type ?? '') && current.def.innerType) {
    current = current.def.innerType;
  }
  return current;
}

/** Every field path, e.g. `sites[].dns.zone`, with array elements marked `[]`. */
function fieldPaths(node: SchemaNode, prefix: string): string[] {
  const schema = unwrap(node);
  const def = schema.def ?? {};
  if (def.type === 'array' && def.element)
    return [prefix, ...fieldPaths(def.element, `${prefix}[]`).filter((entry) => entry !== `${prefix}[]`)];
  const shapes =
    def.type === 'union' && def.options ? def.options.map((option) => unwrap(option).def?.shape ?? {}) : def.shape ? [def.shape] : [];
  if (shapes.length === 0) return [prefix];
  const keys = [...new Set(shapes.flatMap((shape) => Object.keys(shape)))];
  const children = keys.flatMap((key) => {
    const child = shapes.find((shape) => shape[key])![key];
    return fieldPaths(child, prefix ? `${prefix}.${key}` : key);
  });
  return children;
}

describe('README configuration tables', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const line of readme.split('\n')) {
    const match = /^\| `([^`]+)` \|(.*)$/.exec(line);
    if (match) rows.set(match[1], match[2]);
  }
  // The site table lists fields relative to a site; the stage table lists the top level.
  const documented = (field: string): boolean => {
    const relative = field.replace(/^sites\[\]\./, '');
    if (rows.has(relative) || rows.has(`${relative}[]`)) return true;
    const parts = relative.split('.');
    for (let cut = parts.length - 1; cut > 0; cut--) {
      const parent = parts.slice(0, cut).join('.');
      const row = rows.get(parent) ?? rows.get(parent.replace(/\[\]$/, '')) ?? rows.get(`${parent}[]`);
      if (row) return row.includes(`"${parts[cut]}"`);
    }
    return false;
  };

  test('list every field the schema accepts', () => {
    const fields = fieldPaths(stageSchema as unknown as SchemaNode, '');
    expect(fields).toEqual(
      expect.arrayContaining(['sites[].dns.route53HostedZoneId', 'sites[].originAccess.readerCanList', 'alibaba.region']),
    );
    expect(fields.filter((field) => !documented(field))).toEqual([]);
  });
});
