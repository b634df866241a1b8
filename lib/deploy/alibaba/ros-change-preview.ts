import { RosTemplateFacts } from './ros-template-facts';

/** One resource change of a ROS change set, reduced to what a reviewer needs. Never carries property values. */
export interface RosResourceChange {
  /** 'Add' | 'Modify' | 'Remove' (passed through if ROS ever reports another). */
  readonly action: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** ROS `Replacement` for Modify: 'True' (delete and re-create), 'Conditional', 'False'. */
  readonly replacement?: string;
  /** Names of the changed properties, from the change `Details`. */
  readonly properties: readonly string[];
}

export interface RosChangePreview {
  readonly stackName: string;
  readonly changeSetType: 'CREATE' | 'UPDATE';
  /** Absent when the preview was computed locally (stack not deployed yet). */
  readonly changeSetId?: string;
  readonly changes: readonly RosResourceChange[];
  /** No resource changes, but the template differs (outputs, descriptions, metadata). */
  readonly templateOnly: boolean;
  /** Human-readable rendering, one line per change. */
  readonly text: string;
}

/** Reads ROS change items (`{Type: 'Resource', ResourceChange: {...}}`, see "Data structures" of change sets). */
export function normalizeChanges(raw: ReadonlyArray<unknown>): RosResourceChange[] {
  return raw.map((item) => {
    const rec = asRecord(item);
    const rc = asRecord(rec.ResourceChange ?? rec);
    const details = Array.isArray(rc.Details) ? rc.Details : [];
    const properties = [...new Set(details.map((d) => asRecord(asRecord(d).Target).Name).filter((n): n is string => typeof n === 'string'))];
    return {
      action: str(rc.Action) ?? 'Unknown',
      logicalId: str(rc.LogicalResourceId) ?? '(unnamed)',
      resourceType: str(rc.ResourceType) ?? 'Unknown',
      replacement: str(rc.Replacement),
      properties,
    };
  });
}

/** Every resource as an Add: what a first deploy of this template would do. */
export function changesForNewStack(facts: RosTemplateFacts): RosResourceChange[] {
  return facts.resources.map((r) => ({ action: 'Add', logicalId: r.logicalId, resourceType: r.type, properties: [] }));
}

export function isReplacement(change: RosResourceChange): boolean {
  return change.action === 'Modify' && (change.replacement === 'True' || change.replacement === 'Conditional');
}

export function buildPreview(args: Omit<RosChangePreview, 'text'>): RosChangePreview {
  return { ...args, text: renderPreview(args) };
}

const SYMBOL: Record<string, string> = { Add: '+', Modify: '~', Remove: '-' };

function renderPreview(p: Omit<RosChangePreview, 'text'>): string {
  const replacements = p.changes.filter(isReplacement).length;
  if (p.changes.length === 0) {
    return p.templateOnly
      ? `ROS stack '${p.stackName}' (${p.changeSetType}): no resource changes; the template's outputs or metadata change`
      : `ROS stack '${p.stackName}' (${p.changeSetType}): no changes`;
  }
  const header = `ROS stack '${p.stackName}' (${p.changeSetType}): ${p.changes.length} resource change(s)` +
    (replacements > 0 ? `, ${replacements} replacement(s)` : '');
  const idWidth = Math.max(...p.changes.map((c) => c.logicalId.length));
  const typeWidth = Math.max(...p.changes.map((c) => c.resourceType.length));
  const lines = p.changes.map((c) => {
    const replace = c.replacement === 'True' ? '  REPLACE (delete and re-create)'
      : c.replacement === 'Conditional' ? '  MAY REPLACE' : '';
    const props = c.properties.length > 0 ? `  [${c.properties.join(', ')}]` : '';
    return `  ${SYMBOL[c.action] ?? '?'} ${c.action.padEnd(6)} ${c.logicalId.padEnd(idWidth)}  ${c.resourceType.padEnd(typeWidth)}${replace}${props}`.trimEnd();
  });
  return [header, ...lines].join('\n');
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
