/**
 * Diffs one stack's base and head templates into a {@link StackReview}. Both clouds go through
 * `@aws-cdk/cloudformation-diff`: ROS templates share CloudFormation's layout (Parameters, Resources with
 * Type/Properties, Outputs), so its structural diff applies. It cannot judge replacement for `ALIYUN::*` types, so
 * for ROS the impact comes from the editability table instead.
 */

import { fullDiff, type ResourceDifference, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { diffFunctionLists } from './domain-config-diff';
import type {
  ChangeKind,
  Cloud,
  EntryChange,
  FunctionChange,
  Impact,
  ResourceChange,
  SecurityNote,
  StackReview,
  StackStatus,
  ValueChange,
} from './review-model';
import { knownParameterValues, withDeployedParameterValues } from './parameter-values';
import { noteDetail } from './review-model';
import { rosPropertyImpact } from './ros-editability';
import { isNoEcho, isSensitivePath, parametersOf, REDACTED, Redactor } from './secret-redaction';
import {
  outputExposesSecret,
  securityNotesForParameterValues,
  securityNotesForResource,
  securityNotesForSecretParameters,
} from './security-rules';
import { deepChanges, formatPath } from './value-diff';

export type Template = Record<string, unknown>;

export interface StackTemplates {
  readonly stackName: string;
  readonly cloud: Cloud;
  /** Absent when the stack is new in head. */
  readonly base?: Template;
  /** Absent when the stack was removed in head. */
  readonly head?: Template;
}

const DOMAIN_CONFIG = 'ALIYUN::CDN::DomainConfig';
/** CDK's usage-analytics resource carries no infrastructure; its compressed blob only adds noise. */
const IGNORED_TYPES: ReadonlySet<string> = new Set(['AWS::CDK::Metadata']);
/** Construct paths move whenever code is refactored; every other Metadata key (e.g. cdk-nag suppressions) is shown. */
const IGNORED_METADATA_KEYS: ReadonlySet<string> = new Set(['aws:cdk:path']);

/** What the review shows for a parameter whose deployed value it cannot know (a secret, another stack's output). */
const SET_AT_DEPLOY = '(set at deploy)';

const OTHER_SECTIONS = ['Description', 'Transform', 'Conditions', 'Mappings', 'Rules'] as const;

const IMPACT_ORDER: readonly Impact[] = ['none', 'update', 'create', 'orphan', 'may-replace', 'replace', 'destroy'];

function worst(impacts: Impact[]): Impact {
  return impacts.reduce<Impact>(
    (accumulator, impact) => (IMPACT_ORDER.indexOf(impact) > IMPACT_ORDER.indexOf(accumulator) ? impact : accumulator),
    'none',
  );
}

function fromCfnImpact(impact: ResourceImpact | undefined): Impact {
  switch (impact) {
    case ResourceImpact.WILL_CREATE:
    case ResourceImpact.WILL_IMPORT:
      return 'create';
    case ResourceImpact.WILL_UPDATE:
      return 'update';
    case ResourceImpact.WILL_REPLACE:
      return 'replace';
    case ResourceImpact.MAY_REPLACE:
      return 'may-replace';
    case ResourceImpact.WILL_DESTROY:
      return 'destroy';
    case ResourceImpact.WILL_ORPHAN:
      return 'orphan';
    default:
      return 'none';
  }
}

/**
 * Whether a deploy of head grants more than base: an added Allow statement or managed policy, or a removed Deny
 * statement. cloudformation-diff's own `permissionsBroadened` also says so for a stack that is only removed (every
 * statement "changes"), and a removal takes permissions away.
 */
function permissionsBroadened(diff: ReturnType<typeof fullDiff>, headExists: boolean): boolean {
  if (!headExists) return false;
  const { statements, managedPolicies } = diff.iamChanges;
  return (
    statements.additions.some((statement) => statement.effect === 'Allow') ||
    statements.removals.some((statement) => statement.effect === 'Deny') ||
    managedPolicies.additions.length > 0
  );
}

class StackDiffer {
  private readonly redactor: Redactor;
  /** Base and head as the deploy applies them: known parameter values in place of their references. */
  private readonly base?: Template;
  private readonly head?: Template;

  constructor(private readonly input: StackTemplates) {
    this.redactor = Redactor.forTemplates(input.base, input.head);
    this.base = withDeployedParameterValues(input.base);
    this.head = withDeployedParameterValues(input.head);
  }

  review(): StackReview {
    const diff = fullDiff(this.base ?? {}, this.head ?? {});
    const resources: ResourceChange[] = [];
    diff.resources.forEachDifference((logicalId, change) => {
      const resource = this.resourceChange(logicalId, change);
      if (resource) resources.push(resource);
    });
    const parameters = this.entryChanges('Parameters');
    const parameterValues = this.parameterValueChanges();
    const outputs = this.entryChanges('Outputs');
    const otherSections = this.otherSectionChanges();
    const broadened = this.input.cloud === 'aws' && permissionsBroadened(diff, this.input.head !== undefined);
    const security = [
      ...this.securityNotes(resources, parameters, outputs, broadened),
      ...securityNotesForParameterValues(parameterValues),
    ];
    return {
      stackName: this.input.stackName,
      cloud: this.input.cloud,
      status: this.status([...resources, ...parameters, ...parameterValues, ...outputs, ...otherSections].length),
      resources,
      parameters,
      outputs,
      otherSections,
      parameterValues,
      security,
    };
  }

  /**
   * The value each parameter gets at deploy, compared: its default where the review knows it (parameter-values.ts),
   * "set at deploy" where it does not (NoEcho secrets, values from another stack's outputs). Only differences.
   */
  private parameterValueChanges(): EntryChange[] {
    const known = [knownParameterValues(this.input.base), knownParameterValues(this.input.head)];
    const declared = [parametersOf(this.input.base), parametersOf(this.input.head)];
    const names = [...new Set([...Object.keys(declared[0]), ...Object.keys(declared[1])])];
    const effective = (side: 0 | 1, name: string): string | undefined => {
      if (declared[side][name] === undefined) return undefined;
      if (!known[side].has(name)) return SET_AT_DEPLOY;
      return this.redactor.render(known[side].get(name));
    };
    // A stack that is only added or removed shows its parameters in the Parameters list already.
    if (!this.input.base || !this.input.head) return [];
    return names
      .map((name) => ({ name, before: effective(0, name), after: effective(1, name) }))
      .filter(({ before, after }) => before !== after)
      .map(({ name, before, after }) => ({
        name,
        kind: before === undefined ? 'added' : after === undefined ? 'removed' : 'modified',
        before,
        after,
      }));
  }

  private status(changeCount: number): StackStatus {
    if (!this.input.base) return 'added';
    if (!this.input.head) return 'removed';
    return changeCount > 0 ? 'modified' : 'unchanged';
  }

  private otherSectionChanges(): EntryChange[] {
    return OTHER_SECTIONS.flatMap((section) =>
      deepChanges(this.input.base?.[section], this.input.head?.[section], [section]).map((deepChange) => ({
        name: formatPath(deepChange.path),
        kind: deepChange.before === undefined ? 'added' : deepChange.after === undefined ? 'removed' : 'modified',
        before: deepChange.before === undefined ? undefined : this.redactor.render(deepChange.before),
        after: deepChange.after === undefined ? undefined : this.redactor.render(deepChange.after),
      })),
    );
  }

  private resourceChange(logicalId: string, change: ResourceDifference): ResourceChange | undefined {
    const resourceType = change.newResourceType ?? change.oldResourceType ?? 'Unknown';
    if (IGNORED_TYPES.has(resourceType)) return undefined;
    const kind: ChangeKind = change.isAddition ? 'added' : change.isRemoval ? 'removed' : 'modified';
    const oldResource = change.oldValue;
    const newResource = change.newValue;

    const functions: FunctionChange[] = [];
    const properties: ValueChange[] = [];
    const propertyNames = [...new Set([...Object.keys(change.oldProperties ?? {}), ...Object.keys(change.newProperties ?? {})])];
    for (const property of propertyNames) {
      const before = change.oldProperties?.[property];
      const after = change.newProperties?.[property];
      const impact = this.propertyImpact(kind, resourceType, property, change);
      if (resourceType === DOMAIN_CONFIG && property === 'FunctionList') {
        const perFunction = diffFunctionLists(before, after, this.redactor);
        if (perFunction) {
          functions.push(...perFunction);
          continue;
        }
      }
      properties.push(...this.valueChanges(resourceType, deepChanges(before, after, [property]), impact));
    }
    properties.push(...this.attributeChanges(resourceType, oldResource, newResource, kind));
    if (change.resourceTypeChanged) {
      properties.push({
        path: '(Type)',
        property: '(Type)',
        before: change.oldResourceType,
        after: change.newResourceType,
        impact: 'replace',
      });
    }
    if (kind === 'modified' && properties.length === 0 && functions.length === 0) return undefined;

    return {
      logicalId,
      resourceType,
      kind,
      impact: this.resourceImpact(kind, change, oldResource, properties, functions, resourceType),
      properties,
      functions,
    };
  }

  private propertyImpact(kind: ChangeKind, resourceType: string, property: string, change: ResourceDifference): Impact {
    if (kind === 'added') return 'create';
    if (kind === 'removed') return 'destroy';
    if (this.input.cloud === 'ros') return rosPropertyImpact(resourceType, property);
    return fromCfnImpact(change.propertyUpdates[property]?.changeImpact);
  }

  private resourceImpact(
    kind: ChangeKind,
    change: ResourceDifference,
    oldResource: Record<string, unknown> | undefined,
    properties: ValueChange[],
    functions: FunctionChange[],
    resourceType: string,
  ): Impact {
    if (this.input.cloud === 'aws') return fromCfnImpact(change.changeImpact);
    if (kind === 'added') return 'create';
    if (kind === 'removed') return oldResource?.DeletionPolicy === 'Retain' ? 'orphan' : 'destroy';
    const functionImpact: Impact[] = functions.length > 0 ? [rosPropertyImpact(resourceType, 'FunctionList')] : [];
    return worst([...properties.map((property) => property.impact), ...functionImpact]);
  }

  /** Template attributes besides Properties: DependsOn, DeletionPolicy, Condition, Metadata. */
  private attributeChanges(
    resourceType: string,
    oldResource: Record<string, unknown> | undefined,
    newResource: Record<string, unknown> | undefined,
    kind: ChangeKind,
  ): ValueChange[] {
    if (kind !== 'modified') return [];
    const keys = new Set([...Object.keys(oldResource ?? {}), ...Object.keys(newResource ?? {})]);
    const changes: ValueChange[] = [];
    for (const key of keys) {
      if (key === 'Type' || key === 'Properties') continue;
      const raw = deepChanges(oldResource?.[key], newResource?.[key], [`(${key})`]).filter(
        (deepChange) => !(key === 'Metadata' && IGNORED_METADATA_KEYS.has(String(deepChange.path[1]))),
      );
      changes.push(...this.valueChanges(resourceType, raw, 'update'));
    }
    return changes;
  }

  private valueChanges(resourceType: string, raw: ReturnType<typeof deepChanges>, impact: Impact): ValueChange[] {
    return raw.map((change) => {
      const names = change.path.filter((segment): segment is string => typeof segment === 'string');
      const sensitive = isSensitivePath(resourceType, names);
      return {
        path: formatPath(change.path),
        property: String(change.path[0]),
        before: change.before === undefined ? undefined : this.redactor.render(change.before, { sensitive }),
        after: change.after === undefined ? undefined : this.redactor.render(change.after, { sensitive }),
        impact,
      };
    });
  }

  private entryChanges(section: 'Parameters' | 'Outputs'): EntryChange[] {
    // Outputs as the deploy resolves them; Parameters as declared (their values are parameterValueChanges()).
    const [baseTemplate, headTemplate] = section === 'Outputs' ? [this.base, this.head] : [this.input.base, this.input.head];
    let before = (baseTemplate?.[section] ?? {}) as Record<string, unknown>;
    let after = (headTemplate?.[section] ?? {}) as Record<string, unknown>;
    if (section === 'Parameters' && this.input.base && this.input.head) {
      // A default the deploy passes as the value is listed once, under the parameter values; here only the rest of
      // the declaration (type, description, NoEcho...).
      const knownOnBoth = new Set(
        [...knownParameterValues(this.input.base).keys()].filter((name) => knownParameterValues(this.input.head).has(name)),
      );
      const withoutDefault = (entries: Record<string, unknown>) =>
        Object.fromEntries(
          Object.entries(entries).map(([name, entry]) => {
            if (!knownOnBoth.has(name) || !entry || typeof entry !== 'object') return [name, entry];
            const { Default: _default, ...rest } = entry as Record<string, unknown>;
            return [name, rest];
          }),
        );
      before = withoutDefault(before);
      after = withoutDefault(after);
    }
    const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return names
      .filter((name) => deepChanges(before[name], after[name]).length > 0)
      .map((name) => ({
        name,
        kind: before[name] === undefined ? 'added' : after[name] === undefined ? 'removed' : 'modified',
        before: this.renderEntry(section, before[name]),
        after: this.renderEntry(section, after[name]),
      }));
  }

  private renderEntry(section: 'Parameters' | 'Outputs', entry: unknown): string | undefined {
    if (entry === undefined) return undefined;
    if (section === 'Parameters' && isNoEcho(entry as Record<string, unknown>)) {
      const { Default, ...rest } = entry as Record<string, unknown>;
      return this.redactor.render(Default === undefined ? rest : { ...rest, Default: REDACTED });
    }
    return this.redactor.render(entry);
  }

  private noEchoParameters(): Set<string> {
    const names = new Set<string>();
    for (const template of [this.input.base, this.input.head]) {
      for (const [name, parameter] of Object.entries(parametersOf(template))) if (isNoEcho(parameter)) names.add(name);
    }
    return names;
  }

  private securityNotes(
    resources: ResourceChange[],
    parameters: EntryChange[],
    outputs: EntryChange[],
    permissionsBroadened: boolean,
  ): SecurityNote[] {
    const noEcho = this.noEchoParameters();
    const headOutputs = (this.input.head?.Outputs ?? {}) as Record<string, { Value?: unknown }>;
    const notes: SecurityNote[] = [
      ...resources.flatMap(securityNotesForResource),
      ...securityNotesForSecretParameters(parameters, noEcho),
      ...outputs
        .filter(
          (output) =>
            output.kind !== 'removed' &&
            (outputExposesSecret(headOutputs[output.name]?.Value, noEcho) || (output.after ?? '').includes(REDACTED)),
        )
        .map((output) => ({ subject: `Outputs.${output.name}`, reason: 'output exposes a secret', ...noteDetail(output.kind) })),
    ];
    if (permissionsBroadened) {
      notes.push({
        subject: 'IAM',
        reason: 'IAM permissions broadened',
        ...noteDetail('a statement, principal or managed policy grants more than before, or a Deny was removed'),
      });
    }
    return notes;
  }
}

export function diffStack(input: StackTemplates): StackReview {
  return new StackDiffer(input).review();
}
