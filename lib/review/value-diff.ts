/**
 * Finds the leaves that differ between two template values, so a review shows
 * `PolicyDocument.Statement[1].Condition.StringEquals.aws:Referer` instead of two whole policies.
 */

import { deepEqual } from '@aws-cdk/cloudformation-diff';

export type PathSegment = string | number;

export interface RawChange {
  readonly path: readonly PathSegment[];
  /** `undefined` means absent on that side. */
  readonly before?: unknown;
  readonly after?: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** ROS `ALIYUN::CDN::Domain.Sources` is a JSON document inside a string; diff what it contains. */
function parseJsonContainer(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

export function deepChanges(before: unknown, after: unknown, path: readonly PathSegment[] = []): RawChange[] {
  if (deepEqual(before, after)) return [];
  if (before === undefined || after === undefined) return [{ path, before, after }];

  const parsedBefore = parseJsonContainer(before);
  const parsedAfter = parseJsonContainer(after);
  if (parsedBefore !== undefined && parsedAfter !== undefined) return deepChanges(parsedBefore, parsedAfter, path);

  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => deepChanges(before[key], after[key], [...path, key]));
  }
  if (Array.isArray(before) && Array.isArray(after)) return arrayChanges(before, after, path);
  return [{ path, before, after }];
}

/**
 * Same length: compare position by position (an edited policy statement shows as leaf changes). Different length:
 * report the elements that have no equal on the other side (an inserted statement does not shift every index).
 */
function arrayChanges(before: unknown[], after: unknown[], path: readonly PathSegment[]): RawChange[] {
  if (before.length === after.length) {
    return before.flatMap((item, index) => deepChanges(item, after[index], [...path, index]));
  }
  const removed = before
    .map((item, index) => ({ item, i: index }))
    .filter(({ item }) => !after.some((candidate) => deepEqual(item, candidate)))
    .map(({ item, i }): RawChange => ({ path: [...path, i], before: item }));
  const added = after
    .map((item, index) => ({ item, i: index }))
    .filter(({ item }) => !before.some((candidate) => deepEqual(item, candidate)))
    .map(({ item, i }): RawChange => ({ path: [...path, i], after: item }));
  return [...removed, ...added];
}

export function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text === '' ? segment : `${text}.${segment}`;
  }, '');
}
