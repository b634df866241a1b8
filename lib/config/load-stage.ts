import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue, formatPath } from './config-error';
import { findJsonSyntaxProblem } from './json-syntax';
import { stageSchema } from './schema';
import { resolveStage, type StageConfig } from './resolve-stage';

import { assertStageName, DEFAULT_STAGE } from './stage-name';

export { DEFAULT_STAGE } from './stage-name';
export const CONFIG_DIR = 'config';
const UTF8_BOM = '\uFEFF';

/** Path of a stage's single source of truth. */
export function stageConfigPath(stage: string, projectDir = process.cwd()): string {
  return path.join(projectDir, CONFIG_DIR, `${stage}.json`);
}

/** Reads, validates and resolves `config/<stage>.json`. Throws ConfigError naming every bad field. */
export function loadStage(stage: string = DEFAULT_STAGE, projectDir = process.cwd()): StageConfig {
  assertStageName(stage);
  const file = stageConfigPath(stage, projectDir);
  const relative = path.relative(projectDir, file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    const known = listStages(projectDir);
    throw new ConfigError(relative, [
      { path: 'stage', value: stage, allowed: `no such file; known stages: ${known.join(', ') || '(none)'}` },
    ]);
  }
  // Windows editors (Notepad, PowerShell's Out-File) may save UTF-8 with a byte-order mark. It carries no meaning in a
  // JSON file, and JSON.parse would refuse it with a message quoting an invisible character, so it is dropped here.
  if (text.startsWith(UTF8_BOM)) text = text.slice(UTF8_BOM.length);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const where = findJsonSyntaxProblem(text);
    throw new ConfigError(relative, [
      {
        path: '(file)',
        value: relative,
        allowed: where
          ? `must be valid JSON: line ${where.line}, column ${where.column}: ${where.problem}`
          : `must be valid JSON (${(error as Error).message})`,
      },
    ]);
  }
  return parseStage(raw, stage, relative);
}

/** Validates an in-memory stage document; `source` names it in error messages. */
export function parseStage(raw: unknown, stage: string, source = `stage ${stage}`): StageConfig {
  const result = stageSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(source, toIssues(result.error, raw));
  return resolveStage(stage, result.data, source);
}

export function listStages(projectDir = process.cwd()): string[] {
  try {
    return fs
      .readdirSync(path.join(projectDir, CONFIG_DIR))
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .sort();
  } catch {
    return [];
  }
}

function toIssues(error: z.ZodError, raw: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({
          path: formatPath([...issue.path, key]),
          value: valueAt(raw, [...issue.path, key]),
          allowed: `unknown key; allowed keys here: ${allowedKeysAt(issue.path)}`,
        });
      }
      continue;
    }
    issues.push({ path: formatPath(issue.path), value: valueAt(raw, issue.path), allowed: issue.message });
  }
  return issues;
}

function valueAt(raw: unknown, keys: readonly PropertyKey[]): unknown {
  let current: unknown = raw;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Walks the schema shape along a path so an unknown-key message can list what is accepted there. */
function allowedKeysAt(keys: readonly PropertyKey[]): string {
  let schema: unknown = stageSchema;
  for (const key of keys) {
    schema = unwrap(schema);
    const def = (schema as { def?: { type?: string; element?: unknown; shape?: Record<string, unknown> } }).def;
    if (def?.type === 'array' && typeof key === 'number') schema = def.element;
    else if (def?.shape && typeof key === 'string') schema = def.shape[key];
    else return '(see README)';
  }
  const shape = (unwrap(schema) as { def?: { shape?: Record<string, unknown> } }).def?.shape;
  return shape
    ? Object.keys(shape)
        .filter((key) => key !== '$schema')
        .join(', ')
    : '(see README)';
}

function unwrap(schema: unknown): unknown {
  let current = schema as { def?: { type?: string; innerType?: unknown } };
  while (current?.def && ['optional', 'default', 'prefault', 'nullable'].includes(current.def.type ?? '')) {
    current = current.def.innerType as typeof current;
  }
  return current;
}
