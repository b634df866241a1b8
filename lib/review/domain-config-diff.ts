/**
 * Diffs the FunctionList of an `ALIYUN::CDN::DomainConfig` per CDN function and argument, so a review says
 * "forward_scheme: scheme_origin https -> follow" rather than "FunctionList changed".
 */

import { deepEqual } from '@aws-cdk/cloudformation-diff';
import type { ArgChange, FunctionChange } from './review-model';
import { isSensitiveName, type Redactor, SENSITIVE_HEADERS } from './secret-redaction';

interface CdnFunction {
  readonly name: string;
  readonly parentId: unknown;
  readonly args: ReadonlyMap<string, unknown>;
  readonly raw: unknown;
}

/** Request-header functions: which arg names the header, and which arg carries its value. */
const HEADER_FUNCTIONS: Readonly<Record<string, { readonly nameArg: string; readonly valueArg: string }>> = {
  origin_request_header: { nameArg: 'header_name', valueArg: 'header_value' },
  set_req_header: { nameArg: 'key', valueArg: 'value' },
};

function parseFunction(entry: unknown): CdnFunction | undefined {
  if (!entry || typeof entry !== 'object') return undefined;
  const { FunctionName, FunctionArgs, ParentId } = entry as Record<string, unknown>;
  if (typeof FunctionName !== 'string') return undefined;
  const args = new Map<string, unknown>();
  if (FunctionArgs !== undefined) {
    if (!Array.isArray(FunctionArgs)) return undefined;
    for (const arg of FunctionArgs) {
      const { ArgName, ArgValue } = (arg ?? {}) as Record<string, unknown>;
      if (typeof ArgName !== 'string') return undefined;
      args.set(ArgName, ArgValue);
    }
  }
  return { name: FunctionName, parentId: ParentId, args, raw: entry };
}

/** `undefined` when the list is not a literal array of functions (e.g. built with Fn::If). */
function parseFunctionList(value: unknown): CdnFunction[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return undefined;
  const parsed = value.map(parseFunction);
  return parsed.every((cdnFunction): cdnFunction is CdnFunction => cdnFunction !== undefined) ? parsed : undefined;
}

function matchingArgCount(left: CdnFunction, right: CdnFunction): number {
  let count = 0;
  for (const [name, value] of left.args) if (right.args.has(name) && deepEqual(value, right.args.get(name))) count++;
  return count;
}

function hasSensitiveHeader(fn: CdnFunction | undefined): boolean {
  const header = fn && HEADER_FUNCTIONS[fn.name];
  if (!header) return false;
  const name = fn.args.get(header.nameArg);
  return typeof name === 'string' && SENSITIVE_HEADERS.has(name.toLowerCase());
}

function renderArg(
  redactor: Redactor,
  argName: string,
  value: unknown,
  sensitiveHeader: boolean,
  functionName: string,
): string | undefined {
  if (value === undefined) return undefined;
  const isHeaderValue = sensitiveHeader && HEADER_FUNCTIONS[functionName]?.valueArg === argName;
  const sensitive = isSensitiveName(argName) || isHeaderValue;
  return redactor.render(value, { sensitive, allowUrls: isHeaderValue });
}

function argChanges(redactor: Redactor, before: CdnFunction | undefined, after: CdnFunction | undefined): ArgChange[] {
  const sensitiveHeader = hasSensitiveHeader(before) || hasSensitiveHeader(after);
  const functionName = (after ?? before)!.name;
  const names = [...new Set([...(before?.args.keys() ?? []), ...(after?.args.keys() ?? [])])];
  return names
    .filter((name) => !deepEqual(before?.args.get(name), after?.args.get(name)))
    .map((argName) => ({
      argName,
      before: renderArg(redactor, argName, before?.args.get(argName), sensitiveHeader, functionName),
      after: renderArg(redactor, argName, after?.args.get(argName), sensitiveHeader, functionName),
    }));
}

function groupKey(fn: CdnFunction): string {
  return `${fn.name}\u0000${JSON.stringify(fn.parentId ?? null)}`;
}

/**
 * Returns `undefined` when either side cannot be read as a function list; the caller then falls back to a plain
 * value diff. Functions are matched by name (and ParentId); among several functions of one name (two
 * `origin_request_header`, say) each is paired with the one that shares the most argument values.
 */
export function diffFunctionLists(before: unknown, after: unknown, redactor: Redactor): FunctionChange[] | undefined {
  const beforeList = parseFunctionList(before);
  const afterList = parseFunctionList(after);
  if (!beforeList || !afterList) return undefined;

  const remainingAfter = afterList.filter(
    (afterFunction) => !beforeList.some((beforeFunction) => deepEqual(afterFunction.raw, beforeFunction.raw)),
  );
  const remainingBefore = beforeList.filter(
    (beforeFunction) => !afterList.some((afterFunction) => deepEqual(afterFunction.raw, beforeFunction.raw)),
  );
  const changes: FunctionChange[] = [];

  for (const old of remainingBefore) {
    const candidates = remainingAfter.filter((cdnFunction) => groupKey(cdnFunction) === groupKey(old));
    const best = candidates.reduce<CdnFunction | undefined>(
      (chosen, candidate) => (!chosen || matchingArgCount(old, candidate) > matchingArgCount(old, chosen) ? candidate : chosen),
      undefined,
    );
    const pairable = best && (best.args.size === 0 || old.args.size === 0 || matchingArgCount(old, best) > 0 || candidates.length === 1);
    if (best && pairable) {
      remainingAfter.splice(remainingAfter.indexOf(best), 1);
      changes.push({ functionName: old.name, kind: 'modified', args: argChanges(redactor, old, best) });
    } else {
      changes.push({ functionName: old.name, kind: 'removed', args: argChanges(redactor, old, undefined) });
    }
  }
  for (const added of remainingAfter) {
    changes.push({ functionName: added.name, kind: 'added', args: argChanges(redactor, undefined, added) });
  }
  return changes;
}
