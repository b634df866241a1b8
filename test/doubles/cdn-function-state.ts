/**
 * TEST DOUBLE support: what the CDN has configured on each domain, shared by the ROS stack simulator (whose
 * `ALIYUN::CDN::DomainConfig` and `ALIYUN::CDN::Domain` resources write it) and the CDN API double (whose
 * `DescribeCdnDomainConfigs` reads it), so a test can ask the CDN API what a deploy really left on the domain.
 *
 * The unkind parts modelled, each a documented fact or a documented gap:
 * - `ALIYUN::CDN::DomainConfig` wraps BatchSetCdnDomainConfig (ROS resource reference, ALIYUN::CDN::DomainConfig) and no
 *   property is editable, so any change replaces the resource. Which half of a replacement runs first is documented
 *   both ways (ROS guide "Perform a replacement update": delete, then create; change-set data structure page,
 *   doc-detail/155988: "creating new resources and deleting the original ones"), so `replacementOrder` picks one.
 * - Setting a function the domain already has (a single-instance function such as `aws_s3_bucket`) overwrites it and
 *   keeps its ConfigId; deleting a DomainConfig resource deletes the configs (by ConfigId) it set
 *   (BatchSetCdnDomainConfig / DeleteSpecificConfig API references). So in the create-first order, deleting the old
 *   resource removes the function the new one just set.
 * - A multi-instance function (`origin_request_header` with operation "add"; CDN "domain configuration functions"
 *   reference) gets a config of its own, with a new ConfigId, every time it is set; deleting one leaves the others.
 * - Deleting the CDN domain removes every function on it.
 * Every change calls the observers, so a test can check an invariant after every simulated step.
 */

export interface CdnFunctionArg {
  readonly ArgName: string;
  readonly ArgValue: string;
}

export interface CdnConfiguredFunction {
  readonly configId: string;
  readonly functionName: string;
  readonly args: readonly CdnFunctionArg[];
  /** The physical id of the ROS resource that last set it. */
  readonly setBy: string;
}

export type ReplacementOrder = 'delete-first' | 'create-first';

/** Functions a domain may have several configs of; every set adds one. */
const MULTI_INSTANCE = new Set(['origin_request_header']);

export class CdnFunctionState {
  /** Domain → function name → its configuration. */
  readonly domains = new Map<string, Map<string, CdnConfiguredFunction>>();
  replacementOrder: ReplacementOrder = 'create-first';
  private readonly observers: Array<(event: string) => void> = [];
  private nextConfigId = 1000;

  observe(observer: (event: string) => void): void {
    this.observers.push(observer);
  }

  /** The domain's function of that name (for a multi-instance function, its most recently set config). */
  get(domain: string, functionName: string): CdnConfiguredFunction | undefined {
    return this.all(domain, functionName).at(-1);
  }

  /** Every config of that function on the domain, oldest first. */
  all(domain: string, functionName: string): CdnConfiguredFunction[] {
    return [...(this.domains.get(domain)?.values() ?? [])].filter((fn) => fn.functionName === functionName);
  }

  /** An argument's value, or undefined when the domain lacks the function or the argument. */
  argument(domain: string, functionName: string, argName: string): string | undefined {
    return this.get(domain, functionName)?.args.find((arg) => arg.ArgName === argName)?.ArgValue;
  }

  addDomain(domain: string): void {
    if (!this.domains.has(domain)) this.domains.set(domain, new Map());
    this.notify(`domain ${domain} added`);
  }

  removeDomain(domain: string): void {
    this.domains.delete(domain);
    this.notify(`domain ${domain} deleted`);
  }

  /** BatchSetCdnDomainConfig as a DomainConfig resource's create runs it. */
  set(domains: readonly string[], functions: readonly { functionName: string; args: readonly CdnFunctionArg[] }[], setBy: string): void {
    for (const domain of domains) {
      const configured = this.domains.get(domain);
      // The real API answers InvalidDomain.NotFound for a domain the account does not have.
      if (!configured) throw new Error(`InvalidDomain.NotFound: ${domain}`);
      for (const fn of functions) {
        const existing = MULTI_INSTANCE.has(fn.functionName) ? undefined : configured.get(fn.functionName);
        const configId = existing?.configId ?? String((this.nextConfigId += 1));
        const key = MULTI_INSTANCE.has(fn.functionName) ? `${fn.functionName}#${configId}` : fn.functionName;
        configured.set(key, { configId, functionName: fn.functionName, args: fn.args, setBy });
      }
    }
    this.notify(`${setBy} set ${functions.map((fn) => fn.functionName).join(', ')}`);
  }

  /**
   * A DomainConfig resource's delete: DeleteSpecificConfig of the ConfigIds its create got back, which are the ids the
   * functions it set still carry, whoever set them last.
   */
  deleteSetBy(domains: readonly string[], functionNames: readonly string[], configIds: readonly string[], deletedBy: string): void {
    for (const domain of domains) {
      const configured = this.domains.get(domain);
      if (!configured) continue;
      for (const [key, fn] of configured) {
        if (functionNames.includes(fn.functionName) && configIds.includes(fn.configId)) configured.delete(key);
      }
    }
    this.notify(`${deletedBy} deleted ${functionNames.join(', ')}`);
  }

  private notify(event: string): void {
    for (const observer of this.observers) observer(event);
  }
}

/** The DomainNames and FunctionList of an evaluated DomainConfig resource. */
export function domainConfigProps(props: Record<string, unknown>): {
  domains: string[];
  functions: { functionName: string; args: CdnFunctionArg[] }[];
} {
  const domains = String(props.DomainNames ?? '')
    .split(',')
    .map((domain) => domain.trim())
    .filter(Boolean);
  const list = Array.isArray(props.FunctionList) ? (props.FunctionList as Array<Record<string, unknown>>) : [];
  const functions = list.map((entry) => ({
    functionName: String(entry.FunctionName),
    args: (Array.isArray(entry.FunctionArgs) ? (entry.FunctionArgs as Array<Record<string, unknown>>) : []).map((arg) => ({
      ArgName: String(arg.ArgName),
      ArgValue: String(arg.ArgValue),
    })),
  }));
  return { domains, functions };
}
