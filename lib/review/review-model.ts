/**
 * The shape of a review: what changed between the base and head synthesized templates, per stack.
 * Every string value here is already redacted, so any renderer (markdown, JSON) can print it as-is.
 */

export type Cloud = 'aws' | 'ros';

/** What a deploy would do to a resource (or, for a property, what that property change forces). */
export type Impact = 'create' | 'update' | 'replace' | 'may-replace' | 'destroy' | 'orphan' | 'none';

export type ChangeKind = 'added' | 'removed' | 'modified';

/** One changed value, addressed by a path such as `PolicyDocument.Statement[1].Condition`. */
export interface ValueChange {
  readonly path: string;
  /** Top-level property (or `(DependsOn)`-style attribute) the path starts at. */
  readonly property: string;
  /** Rendered, redacted value; undefined when the value is absent on that side. */
  readonly before?: string;
  readonly after?: string;
  readonly impact: Impact;
}

export interface ArgChange {
  readonly argName: string;
  readonly before?: string;
  readonly after?: string;
}

/** A change to one entry of an `ALIYUN::CDN::DomainConfig` FunctionList. */
export interface FunctionChange {
  readonly functionName: string;
  readonly kind: ChangeKind;
  readonly args: readonly ArgChange[];
}

export interface ResourceChange {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly kind: ChangeKind;
  readonly impact: Impact;
  readonly properties: readonly ValueChange[];
  /** Only for `ALIYUN::CDN::DomainConfig`: the FunctionList diffed per function. */
  readonly functions: readonly FunctionChange[];
}

/** A parameter or output that was added, removed or changed. */
export interface EntryChange {
  readonly name: string;
  readonly kind: ChangeKind;
  readonly before?: string;
  readonly after?: string;
}

/** A piece of a security note's detail: our own words, or a value from the templates (printed as a code span). */
export type DetailPart = { readonly text: string } | { readonly literal: string };

export interface SecurityNote {
  /** Logical id of the resource, or `Parameters.X` / `Outputs.X`. */
  readonly subject: string;
  readonly resourceType?: string;
  /** Which security control is touched, e.g. "bucket policy", "origin SNI". */
  readonly reason: string;
  /** What exactly changed, as plain text, e.g. "function forward_scheme: scheme_origin changed". */
  readonly detail: string;
  /** The same detail with every template-derived piece marked, so a renderer can quote exactly those. */
  readonly detailParts: readonly DetailPart[];
}

/** Builds a note's `detail` and `detailParts` from pieces: strings are our words, `{ literal }` come from templates. */
export function noteDetail(...parts: (string | { readonly literal: string })[]): Pick<SecurityNote, 'detail' | 'detailParts'> {
  const detailParts = parts.map((part): DetailPart => (typeof part === 'string' ? { text: part } : part));
  return { detail: detailParts.map((part) => ('text' in part ? part.text : part.literal)).join(''), detailParts };
}

export type StackStatus = 'added' | 'removed' | 'modified' | 'unchanged';

export interface StackReview {
  readonly stackName: string;
  readonly cloud: Cloud;
  readonly status: StackStatus;
  readonly resources: readonly ResourceChange[];
  readonly parameters: readonly EntryChange[];
  readonly outputs: readonly EntryChange[];
  /** Conditions, Mappings, Rules, Transform, Description: they can change what a deploy does without a resource diff. */
  readonly otherSections: readonly EntryChange[];
  /**
   * The values the deploy passes for the stack's parameters (see parameter-values.ts), where they differ: a changed
   * default reaches every resource that refers to the parameter even though no resource's template text changed.
   */
  readonly parameterValues: readonly EntryChange[];
  readonly security: readonly SecurityNote[];
}

export interface ReviewReport {
  readonly stacks: readonly StackReview[];
}

/** Impacts that lose or recreate a physical resource. `may-replace` counts: a reviewer has to look. */
export function isDestructive(impact: Impact): boolean {
  return impact === 'replace' || impact === 'may-replace' || impact === 'destroy';
}

/**
 * A stack that is in base but no longer in head belongs to a site removed from the configuration. `deploy` loops over
 * the configured sites only: it keeps such a stack running and reports it; only `deploy --prune` removes it. Its
 * resources' impacts say what that prune would do; the deploy itself deletes none of them.
 */
export const REMOVED_STACK_FATE = 'kept running; reported; removed only with `deploy --prune`';

/** What the next `deploy` destroys or replaces: never a removed site's stack (see REMOVED_STACK_FATE). */
export function destructiveChanges(report: ReviewReport): { stack: StackReview; resource: ResourceChange }[] {
  return report.stacks
    .filter((stack) => stack.status !== 'removed')
    .flatMap((stack) => stack.resources.filter((resource) => isDestructive(resource.impact)).map((resource) => ({ stack, resource })));
}

export function hasChanges(stack: StackReview): boolean {
  return stack.status !== 'unchanged';
}
