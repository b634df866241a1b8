/** Safe inline markdown for values that come from a pull request (stack names, logical ids, template values). */

/**
 * A code span fenced with more backticks than the text contains: GitHub renders its content literally, so a value
 * cannot inject HTML, links, images, @mentions or a fake end of the hidden marker comment.
 */
export function code(text: string): string {
  const oneLine = text.replace(/\r?\n/g, '⏎');
  if (oneLine === '') return '*(empty)*';
  const longestRun = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = /^[` ]|[` ]$/.test(oneLine) ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

export const DEFAULT_VALUE_LENGTH = 160;

/** Long values keep their start and say how long they were, so a reviewer knows there is more. */
export function shorten(text: string, max = DEFAULT_VALUE_LENGTH): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1)}… (${text.length} chars)`;
}
