/**
 * TEST DOUBLE support: reads ROS templates the way the ROS API test double needs to — resource order, property
 * diffs with replacement rules, intrinsic functions for outputs, and deterministic fake attribute values.
 */
import { createHash } from 'node:crypto';
import { AlibabaRpcError } from './alibaba-rpc-server';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  /** `Retain`: removing the resource from the stack leaves the physical resource as it is (ROS template, Resources). */
  readonly DeletionPolicy?: string;
  /** The name of a condition in `Conditions`: the resource exists only while it holds. */
  readonly Condition?: string;
}

export interface ParsedTemplate {
  readonly body: string;
  readonly parameters: Record<string, { Default?: unknown; NoEcho?: unknown; AllowedValues?: unknown }>;
  readonly conditions: Record<string, unknown>;
  readonly resources: Record<string, TemplateResource>;
  readonly outputs: Record<string, { Value: unknown; Description?: string; Condition?: string }>;
}

/** Properties ROS documents as not editable: changing one needs ReplacementOption=Enabled and replaces the resource. */
const NOT_EDITABLE: Record<string, ReadonlySet<string> | 'all'> = {
  // ROS resource reference "ALIYUN::CDN::Domain" (alibabacloud.com/help/doc-detail/112421.htm): OriginServers is
  // "Editable: No" (a change replaces the domain), Sources (JSON string) is "Editable: Yes" (an in-place Modify).
  'ALIYUN::CDN::Domain': new Set(['CdnType', 'DomainName', 'OriginServers', 'CheckUrl', 'Scope']),
  'ALIYUN::CDN::DomainConfig': 'all',
  'ALIYUN::CDN::StagingConfig': 'all',
  'ALIYUN::CAS::Certificate': 'all',
  'ALIYUN::OOS::Execution': 'all',
  'ALIYUN::DNS::DomainRecord': new Set(['DomainName']),
};

export function requiresReplacement(type: string, property: string): boolean {
  const rule = NOT_EDITABLE[type];
  return rule === 'all' || (rule !== undefined && rule.has(property));
}

export function parseTemplate(body: string): ParsedTemplate {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    throw new AlibabaRpcError(400, 'InvalidTemplate', 'The template is not a valid JSON document.');
  }
  const t = asRecord(doc);
  if (t.ROSTemplateFormatVersion !== '2015-09-01') {
    throw new AlibabaRpcError(400, 'InvalidTemplate', "ROSTemplateFormatVersion must be '2015-09-01'.");
  }
  const resources = asRecord(t.Resources) as Record<string, TemplateResource>;
  for (const [id, r] of Object.entries(resources)) {
    if (typeof asRecord(r).Type !== 'string') throw new AlibabaRpcError(400, 'InvalidTemplate', `Resource ${id} has no Type.`);
  }
  return {
    body,
    parameters: asRecord(t.Parameters) as ParsedTemplate['parameters'],
    conditions: asRecord(t.Conditions),
    resources,
    outputs: asRecord(t.Outputs) as ParsedTemplate['outputs'],
  };
}

/**
 * The template as ROS runs it with these parameter values: resources and outputs whose `Condition` is false are left
 * out, as if not declared (ROS user guide "Conditions", doc-detail/53069: Fn::Equals, Fn::Not, Fn::And and Fn::Or over
 * parameters and other conditions, associated through a resource's or output's `Condition` key).
 */
export function withConditionsApplied(template: ParsedTemplate, parameters: Readonly<Record<string, string>>): ParsedTemplate {
  const holds = (name: string, seen: ReadonlySet<string> = new Set()): boolean => {
    if (!(name in template.conditions)) throw new AlibabaRpcError(400, 'InvalidTemplate', `Condition ${name} is not defined.`);
    if (seen.has(name)) throw new AlibabaRpcError(400, 'InvalidTemplate', `Condition ${name} refers to itself.`);
    return truth(template.conditions[name], new Set([...seen, name]));
  };
  const value = (operand: unknown): unknown => {
    const o = asRecord(operand);
    if (typeof o.Ref === 'string') return parameters[o.Ref];
    return operand;
  };
  const truth = (expression: unknown, seen: ReadonlySet<string>): boolean => {
    const o = asRecord(expression);
    if (typeof o.Condition === 'string') return holds(o.Condition, seen);
    const [fn, arg] = Object.entries(o)[0] ?? [];
    const list = Array.isArray(arg) ? arg : [];
    switch (fn) {
      case 'Fn::Equals':
        return String(value(list[0])) === String(value(list[1]));
      case 'Fn::Not':
        return !truth(list[0], seen);
      case 'Fn::And':
        return list.every((item) => truth(item, seen));
      case 'Fn::Or':
        return list.some((item) => truth(item, seen));
      default:
        throw new AlibabaRpcError(400, 'InvalidTemplate', `Unsupported condition function ${String(fn)}.`);
    }
  };
  const kept = <T extends { Condition?: string }>(entries: Record<string, T>) =>
    Object.fromEntries(Object.entries(entries).filter(([, entry]) => entry.Condition === undefined || holds(entry.Condition)));
  return { ...template, resources: kept(template.resources), outputs: kept(template.outputs) };
}

/** Logical ids in creation order: a resource comes after everything it references or depends on. */
export function creationOrder(template: ParsedTemplate): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string) => {
    if (state.get(id) === 'done' || !template.resources[id]) return;
    if (state.get(id) === 'visiting') throw new AlibabaRpcError(400, 'InvalidTemplate', `Circular dependency at ${id}.`);
    state.set(id, 'visiting');
    for (const dep of dependencies(template.resources[id]!)) if (dep !== id) visit(dep);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of Object.keys(template.resources)) visit(id);
  return order;
}

function dependencies(resource: TemplateResource): string[] {
  const deps = new Set<string>(typeof resource.DependsOn === 'string' ? [resource.DependsOn] : (resource.DependsOn ?? []));
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk);
    const o = asRecord(value);
    if (typeof o.Ref === 'string') deps.add(o.Ref);
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') deps.add(getAtt[0]);
    Object.values(o).forEach(walk);
  };
  walk(resource.Properties);
  return [...deps];
}

export interface EvalContext {
  readonly stackName: string;
  readonly stackId: string;
  readonly regionId: string;
  readonly accountId: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** Physical id of a deployed resource; undefined while it does not exist. */
  readonly physicalId: (logicalId: string) => string | undefined;
  readonly attribute: (logicalId: string, attr: string) => string | undefined;
}

const UNRESOLVED = Symbol('unresolved');

/** Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select. Anything unresolvable stays as written. */
export function evaluate(value: unknown, ctx: EvalContext): unknown {
  if (Array.isArray(value)) return value.map((item) => evaluate(item, ctx));
  if (typeof value !== 'object' || value === null) return value;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const r = evaluateIntrinsic(keys[0]!, o[keys[0]!], ctx);
    if (r !== UNRESOLVED) return r;
  }
  return Object.fromEntries(keys.map((key) => [key, evaluate(o[key], ctx)]));
}

function evaluateIntrinsic(fn: string, arg: unknown, ctx: EvalContext): unknown {
  switch (fn) {
    case 'Ref':
      return typeof arg === 'string' ? (ref(arg, ctx) ?? UNRESOLVED) : UNRESOLVED;
    case 'Fn::GetAtt': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string' || typeof arg[1] !== 'string') return UNRESOLVED;
      return ctx.attribute(arg[0], arg[1]) ?? UNRESOLVED;
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) return UNRESOLVED;
      const parts = (arg[1] as unknown[]).map((item) => evaluate(item, ctx));
      return parts.every((part) => typeof part === 'string' || typeof part === 'number') ? parts.join(arg[0]) : UNRESOLVED;
    }
    case 'Fn::Sub': {
      if (typeof arg !== 'string') return UNRESOLVED;
      let ok = true;
      const out = arg.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
        const [id, attr] = name.split('.');
        const v = attr ? ctx.attribute(id!, attr) : ref(id!, ctx);
        if (v === undefined) ok = false;
        return v ?? '';
      });
      return ok ? out : UNRESOLVED;
    }
    case 'Fn::Select': {
      if (!Array.isArray(arg)) return UNRESOLVED;
      const list = evaluate(arg[1], ctx);
      const i = Number(evaluate(arg[0], ctx));
      return Array.isArray(list) && list[i] !== undefined ? list[i] : UNRESOLVED;
    }
    default:
      return UNRESOLVED;
  }
}

function ref(name: string, ctx: EvalContext): string | undefined {
  switch (name) {
    case 'ALIYUN::StackName':
      return ctx.stackName;
    case 'ALIYUN::StackId':
      return ctx.stackId;
    case 'ALIYUN::Region':
      return ctx.regionId;
    case 'ALIYUN::AccountId':
      return ctx.accountId;
    default:
      return ctx.parameters[name] ?? ctx.physicalId(name);
  }
}

/** Deterministic stand-ins for what the real services would return. */
export function fakePhysicalId(type: string, logicalId: string, props: Record<string, unknown>, generation: number): string {
  if (type === 'ALIYUN::CDN::Domain' && typeof props.DomainName === 'string') return props.DomainName;
  const h = createHash('sha256').update(`${logicalId}/${generation}`).digest('hex');
  if (type === 'ALIYUN::DNS::DomainRecord') return String(BigInt(`0x${h.slice(0, 13)}`));
  return `${logicalId.toLowerCase()}-${h.slice(0, 10)}`;
}

export function fakeAttribute(type: string, props: Record<string, unknown>, physicalId: string, attr: string, accountId: string): string {
  const domain = typeof props.DomainName === 'string' ? props.DomainName : physicalId;
  if (type === 'ALIYUN::CDN::Domain') {
    if (attr === 'Cname') return `${domain}.w.kunlunsl.com`;
    if (attr === 'DomainName') return domain;
    if (attr === 'Arn') return `acs:cdn::${accountId}:domain/${domain}`;
  }
  if (type === 'ALIYUN::DNS::DomainRecord' && attr === 'RecordId') return physicalId;
  return `${physicalId}/${attr}`;
}

export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(o[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
