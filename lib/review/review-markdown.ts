/**
 * Renders a {@link ReviewReport} as the markdown of one pull-request comment: a hidden marker (the comment workflow
 * finds and updates the comment by it), one summary line per stack, the security-relevant changes, the
 * replacements and deletions, then per-stack details.
 */

import { code, shorten } from './markdown-text';
import {
  type Cloud,
  type DetailPart,
  destructiveChanges,
  REMOVED_STACK_FATE,
  type EntryChange,
  type FunctionChange,
  hasChanges,
  type Impact,
  isDestructive,
  type ResourceChange,
  type ReviewReport,
  type StackReview,
  type ValueChange,
} from './review-model';

export const REVIEW_MARKER = '<!-- s3-alicdn-review -->';

/** GitHub rejects comments over 65,536 characters; leave room for the marker and the workflow's own lines. */
export const DEFAULT_MAX_LENGTH = 60_000;

export interface RenderContext {
  readonly stage: string;
  readonly baseRef: string;
  readonly baseCommit?: string;
  readonly headCommit?: string;
  /** Longest markdown to produce; 0 means no limit. */
  readonly maxLength?: number;
  /** The stage has no configuration in the base: every stack is new. */
  readonly newStage?: boolean;
}

const CLOUD_LABEL: Readonly<Record<Cloud, string>> = { aws: 'AWS CloudFormation', ros: 'Alibaba Cloud ROS' };

const IMPACT_LABEL: Readonly<Record<Impact, string>> = {
  create: 'create',
  update: 'update in place',
  replace: '**replace**',
  'may-replace': '**may replace**',
  destroy: '**delete**',
  orphan: 'remove from stack (resource retained)',
  none: 'no effect',
};

const KIND_SYMBOL = { added: '+', removed: '-', modified: '~' } as const;

function stackTitle(stack: StackReview): string {
  return `${code(stack.stackName)} (${CLOUD_LABEL[stack.cloud]})`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function summaryLine(stack: StackReview): string {
  const title = stackTitle(stack);
  if (stack.status === 'unchanged') return `- ${title}: no changes`;
  const count = (kind: string) => stack.resources.filter((resource) => resource.kind === kind).length;
  const parts: string[] = [];
  if (stack.status === 'added') parts.push(`**new stack** with ${plural(count('added'), 'resource')}`);
  else if (stack.status === 'removed') {
    const deletedByPrune = stack.resources.filter((resource) => resource.impact === 'destroy').length;
    parts.push(
      `**no longer configured**: ${REMOVED_STACK_FATE} (which would delete ${plural(deletedByPrune, 'resource')} and retain ` +
        `${stack.resources.length - deletedByPrune})`,
    );
  } else {
    const counts = (['added', 'removed', 'modified'] as const).filter((key) => count(key) > 0).map((key) => `${count(key)} ${key}`);
    if (counts.length > 0) parts.push(counts.join(', '));
  }
  const replaced = stack.resources.filter((resource) => resource.impact === 'replace' || resource.impact === 'may-replace').length;
  const deleted = stack.resources.filter((resource) => resource.impact === 'destroy').length;
  if (replaced > 0) parts.push(`**${plural(replaced, 'replacement')}**`);
  if (deleted > 0 && stack.status !== 'removed') parts.push(`**${plural(deleted, 'deletion')}**`);
  if (stack.security.length > 0) parts.push(`${stack.security.length} security-relevant`);
  if (stack.parameters.length > 0) parts.push(`${plural(stack.parameters.length, 'parameter')} changed`);
  if (stack.parameterValues.length > 0) parts.push(`${plural(stack.parameterValues.length, 'deployed parameter value')} changed`);
  if (stack.outputs.length > 0) parts.push(`${plural(stack.outputs.length, 'output')} changed`);
  if (stack.otherSections.length > 0) parts.push('other template sections changed');
  return `- ${title}: ${parts.join('; ')}`;
}

/** Our words as they are; every value from a template as a code span. */
function detailMarkdown(parts: readonly DetailPart[]): string {
  return parts.map((part) => ('text' in part ? part.text : code(shorten(part.literal, 120)))).join('');
}

function securitySection(report: ReviewReport): string[] {
  const lines = report.stacks.flatMap((stack) =>
    stack.security.map((note) => {
      const type = note.resourceType ? ` (${code(note.resourceType)})` : '';
      return `- ${code(stack.stackName)} › ${code(note.subject)}${type}: **${note.reason}**: ${detailMarkdown(note.detailParts)}`;
    }),
  );
  return ['### Security-relevant changes', '', ...(lines.length > 0 ? lines : ['None.']), ''];
}

/** Names what forces the replacement, e.g. the FunctionList functions or the non-editable properties. */
function replacementCause(resource: ResourceChange): string {
  if (resource.kind !== 'modified') return '';
  const properties = [
    ...new Set(resource.properties.filter((property) => isDestructive(property.impact)).map((property) => property.property)),
  ];
  const functions = [...new Set(resource.functions.map((functionChange) => functionChange.functionName))];
  const causes = [...properties.map(code), ...(functions.length > 0 ? [`FunctionList (${functions.map(code).join(', ')})`] : [])];
  return causes.length > 0 ? `, caused by ${causes.join(', ')}` : '';
}

function destructiveSection(report: ReviewReport): string[] {
  const items = destructiveChanges(report);
  if (items.length === 0) return [];
  return [
    '### Replacements and deletions',
    '',
    ...items.map(
      ({ stack, resource }) =>
        `- ${code(stack.stackName)} › ${code(resource.logicalId)} (${code(resource.resourceType)}): ${IMPACT_LABEL[resource.impact]}${replacementCause(resource)}`,
    ),
    '',
  ];
}

function value(text: string | undefined): string {
  return text === undefined ? '*(absent)*' : code(shorten(text));
}

function valueChangeLine(change: ValueChange, showImpact: boolean): string {
  const impact = showImpact && change.impact !== 'none' ? ` (${IMPACT_LABEL[change.impact]})` : '';
  // In a changed resource, a value with nothing before it is new (an added policy statement, say): say so.
  const added = showImpact ? '*(added)* ' : '';
  if (change.before === undefined) return `  - ${code(shorten(change.path, 120))}: ${added}${value(change.after)}${impact}`;
  if (change.after === undefined) return `  - ${code(shorten(change.path, 120))}: ${value(change.before)} → *(removed)*${impact}`;
  return `  - ${code(shorten(change.path, 120))}: ${value(change.before)} → ${value(change.after)}${impact}`;
}

function functionLines(fn: FunctionChange): string[] {
  const head = `  - function ${code(fn.functionName)} ${fn.kind}`;
  const args = fn.args.map((arg) => {
    if (fn.kind === 'added') return `    - ${code(arg.argName)}: ${value(arg.after)}`;
    if (fn.kind === 'removed') return `    - ${code(arg.argName)}: ${value(arg.before)}`;
    return `    - ${code(arg.argName)}: ${value(arg.before)} → ${value(arg.after)}`;
  });
  return [head, ...args];
}

function resourceLines(resource: ResourceChange): string[] {
  const heading = `- ${KIND_SYMBOL[resource.kind]} ${code(resource.logicalId)} (${code(resource.resourceType)}): ${IMPACT_LABEL[resource.impact]}`;
  const showImpact = resource.kind === 'modified';
  return [
    heading,
    ...resource.properties.map((property) => valueChangeLine(property, showImpact)),
    ...resource.functions.flatMap(functionLines),
  ];
}

function entryLines(title: string, entries: readonly EntryChange[]): string[] {
  if (entries.length === 0) return [];
  return [
    `${title}:`,
    '',
    ...entries.map((entry) => {
      if (entry.kind === 'added') return `- + ${code(entry.name)}: ${value(entry.after)}`;
      if (entry.kind === 'removed') return `- - ${code(entry.name)}: ${value(entry.before)}`;
      return `- ~ ${code(entry.name)}: ${value(entry.before)} → ${value(entry.after)}`;
    }),
    '',
  ];
}

function stackDetails(stack: StackReview): string {
  const lines = [
    `### ${stackTitle(stack)}`,
    '',
    ...(stack.status === 'removed'
      ? [`No configured site owns this stack any more: ${REMOVED_STACK_FATE}. What the prune would do:`, '']
      : []),
    ...(stack.resources.length > 0 ? ['Resources:', '', ...stack.resources.flatMap(resourceLines), ''] : []),
    ...entryLines('Parameters', stack.parameters),
    ...entryLines('Parameter values the deploy passes', stack.parameterValues),
    ...entryLines('Outputs', stack.outputs),
    ...entryLines('Other template sections', stack.otherSections),
  ];
  return lines.join('\n');
}

function header(context: RenderContext, failed = false): string[] {
  const shortSha = (sha?: string) => (sha ? ` (${code(sha.slice(0, 12))})` : '');
  return [
    REVIEW_MARKER,
    `## Infrastructure review for stage ${code(context.stage)}`,
    '',
    `Base ${code(context.baseRef)}${shortSha(context.baseCommit)} → head${shortSha(context.headCommit)}. ` +
      (failed
        ? 'Nothing was deployed.'
        : 'Both sides were synthesized without cloud credentials; nothing was deployed or compared with live stacks.'),
    '',
    ...(context.newStage
      ? [`**New stage**: the base has no ${code(`config/${context.stage}.json`)}, so every stack below is new.`, '']
      : []),
  ];
}

/** The heading (after the marker and header) of a review that could not be produced; a workflow can look for it. */
export const REVIEW_FAILED_HEADING = '### Review failed';

/**
 * The markdown of a review that failed: same marker and header, so the comment workflow replaces the previous
 * review's comment rather than leaving it looking current, and the error in a fenced block (it quotes tool output).
 */
export function renderReviewFailure(context: RenderContext, message: string): string {
  const maxLength = context.maxLength === 0 ? Number.POSITIVE_INFINITY : (context.maxLength ?? DEFAULT_MAX_LENGTH);
  // The end of a tool's output says most about why it failed; keep room for the header.
  const room = Math.max(1000, maxLength - 2000);
  const text = message.length > room ? `…${message.slice(-room)}` : message;
  const longestRun = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return [
    ...header(context, true),
    REVIEW_FAILED_HEADING,
    '',
    'The review could not be produced, so this pull request has **no infrastructure review** for this commit. ' +
      'An earlier review in this comment, if any, no longer applies.',
    '',
    `${fence}text`,
    text,
    fence,
    '',
  ].join('\n');
}

export function renderReviewMarkdown(report: ReviewReport, context: RenderContext): string {
  const maxLength = context.maxLength === 0 ? Number.POSITIVE_INFINITY : (context.maxLength ?? DEFAULT_MAX_LENGTH);
  const changed = report.stacks.filter(hasChanges);
  const top = [
    ...header(context),
    ...(changed.length === 0 ? ['**No changes.** The synthesized templates are identical to the base for every stack.', ''] : []),
    '### Summary',
    '',
    ...report.stacks.map(summaryLine),
    '',
    ...(changed.length > 0 ? [...securitySection(report), ...destructiveSection(report)] : []),
  ].join('\n');

  if (top.length > maxLength) {
    return `${top.slice(0, maxLength - 200)}\n\n*Review truncated: it is longer than a pull-request comment allows.*\n`;
  }
  let markdown = top;
  const omitted: string[] = [];
  for (const stack of changed) {
    const details = `\n${stackDetails(stack)}`;
    if (markdown.length + details.length + 300 > maxLength) omitted.push(stack.stackName);
    else markdown += details;
  }
  if (omitted.length > 0) {
    markdown += `\n*Details omitted for ${omitted.map(code).join(', ')}: the review is longer than a pull-request comment allows. Run \`npm run review -- --base <ref> --max-length 0\` locally for the full text.*\n`;
  }
  return markdown.endsWith('\n') ? markdown : `${markdown}\n`;
}
