/** What the deploy flow needs to know about a ROS template, read without calling any API. */
export interface RosTemplateFacts {
  /** False for a YAML (or otherwise non-JSON) body: the facts below are then empty and checks relying on them skip. */
  readonly parsed: boolean;
  readonly resources: ReadonlyArray<{ readonly logicalId: string; readonly type: string }>;
  readonly parameters: ReadonlyArray<{ readonly key: string; readonly noEcho: boolean; readonly hasDefault: boolean }>;
}

export function readTemplateFacts(templateBody: string): RosTemplateFacts {
  let doc: unknown;
  try {
    doc = JSON.parse(templateBody);
  } catch {
    return { parsed: false, resources: [], parameters: [] };
  }
  if (!isObject(doc)) throw new Error('templateBody must be a JSON object (a ROS template), got ' + (Array.isArray(doc) ? 'an array' : typeof doc));
  const resources = Object.entries(isObject(doc.Resources) ? doc.Resources : {}).map(([logicalId, r]) => ({
    logicalId,
    type: isObject(r) && typeof r.Type === 'string' ? r.Type : 'Unknown',
  }));
  const parameters = Object.entries(isObject(doc.Parameters) ? doc.Parameters : {}).map(([key, p]) => ({
    key,
    noEcho: isObject(p) && (p.NoEcho === true || p.NoEcho === 'true'),
    hasDefault: isObject(p) && p.Default !== undefined,
  }));
  return { parsed: true, resources, parameters };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Same template regardless of key order and whitespace (ROS may hand a JSON body back re-serialized). */
export function isSameTemplate(a: string, b: string): boolean {
  try {
    return canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
  } catch {
    return a.trim() === b.trim();
  }
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
