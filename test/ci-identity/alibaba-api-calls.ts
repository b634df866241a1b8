import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/**
 * Which Alibaba Cloud APIs the tool makes happen, read from the code and the synthesized templates rather than from a
 * hand list, as RAM actions `<RAM code>:<Action>`. The CI role test (alibaba-role-permissions.test.ts) checks the
 * RAM role of lib/ci-identity grants every one of them.
 */

/**
 * The RAM code ("RamCode") of each Alibaba Cloud service this project talks to. Each service's "RAM authorization"
 * page in its API reference names it:
 * - Resource Orchestration Service "RAM authorization": RamCode `ros` (granularity RESOURCE)
 * - CDN "RAM authorization": `cdn` (RESOURCE)
 * - Alibaba Cloud DNS: `alidns` (DescribeDomainInfo's authorization table: `alidns:DescribeDomainInfo`)
 * - Certificate Management Service (Original SSL Certificate) "RAM authorization": `yundun-cert` (granularity
 *   OPERATION, so its statements need Resource "*"); `cas` is the API's product code, not a RAM code
 * - CloudOps Orchestration Service "RAM authorization": `oos` (RESOURCE)
 * - RAM `ram`, Security Token Service `sts`
 */
export const RAM_SERVICE_CODES = ['ros', 'cdn', 'alidns', 'yundun-cert', 'oos', 'ram', 'sts'] as const;
export type RamServiceCode = (typeof RAM_SERVICE_CODES)[number];

/** The official OpenAPI SDK packages (`@alicloud/<product><version>`) and the RAM code of their service. */
export const SDK_RAM_CODES: Readonly<Record<string, RamServiceCode>> = {
  ros20190910: 'ros',
  cdn20180510: 'cdn',
  alidns20150109: 'alidns',
  cas20200407: 'yundun-cert',
  oos20190601: 'oos',
  ram20150501: 'ram',
  ims20190815: 'ram',
  sts20150401: 'sts',
};

/**
 * `ACS::ExecuteApi` tasks name the product the way OOS does (`Service: 'CDN'`); OOS calls that API with the caller's
 * permissions when the template names no RAM role (reference/alibaba-cdn-operations.md, "RAM service codes").
 */
export const OOS_SERVICE_RAM_CODES: Readonly<Record<string, RamServiceCode>> = {
  CDN: 'cdn',
  ALIDNS: 'alidns',
  CAS: 'yundun-cert',
  ROS: 'ros',
  OOS: 'oos',
  RAM: 'ram',
};

/**
 * The APIs ROS calls, with the deploying identity's permissions, to create, read, update and delete each resource
 * type the templates use (ROS creates a stack's resources with the caller's permissions unless the stack has a RAM
 * role: reference/alibaba-cdn-operations.md). ROS does not publish this list; it follows each type's resource
 * reference (which property the create and the update API set, the tags) and the service's API reference. A type
 * that is not here fails the role test, so a new resource type cannot slip into the templates without its grant.
 */
export const ROS_RESOURCE_TYPE_APIS: Readonly<Record<string, readonly string[]>> = {
  // ALIYUN::CDN::Domain: AddCdnDomain; Sources editable (ModifyCdnDomain); Tags (TagResources / UntagResources).
  'ALIYUN::CDN::Domain': [
    'cdn:AddCdnDomain',
    'cdn:DescribeCdnDomainDetail',
    'cdn:ModifyCdnDomain',
    'cdn:DeleteCdnDomain',
    'cdn:TagResources',
    'cdn:UntagResources',
    'cdn:DescribeTagResources',
  ],
  // ALIYUN::CDN::DomainConfig: FunctionList through BatchSetCdnDomainConfig; deletion removes each function.
  'ALIYUN::CDN::DomainConfig': ['cdn:BatchSetCdnDomainConfig', 'cdn:DescribeCdnDomainConfigs', 'cdn:DeleteSpecificConfig'],
  // ALIYUN::CAS::Certificate uploads a PEM pair. Which CAS API version ROS uses is not documented: 2020-04-07
  // (UploadUserCertificate, GetUserCertificateDetail) or 2018-07-13 (CreateUserCertificate,
  // DescribeUserCertificateDetail), so both are required.
  'ALIYUN::CAS::Certificate': [
    'yundun-cert:UploadUserCertificate',
    'yundun-cert:CreateUserCertificate',
    'yundun-cert:GetUserCertificateDetail',
    'yundun-cert:DescribeUserCertificateDetail',
    'yundun-cert:DeleteUserCertificate',
  ],
  // ALIYUN::OOS::Execution: StartExecution, then polls the execution; a timeout or stack deletion cancels it.
  'ALIYUN::OOS::Execution': [
    'oos:StartExecution',
    'oos:ListExecutions',
    'oos:ListTaskExecutions',
    'oos:CancelExecution',
    'oos:DeleteExecutions',
  ],
  // ALIYUN::DNS::DomainRecord: RR, Type, Value editable (UpdateDomainRecord).
  'ALIYUN::DNS::DomainRecord': [
    'alidns:AddDomainRecord',
    'alidns:UpdateDomainRecord',
    'alidns:DeleteDomainRecord',
    'alidns:DescribeDomainRecordInfo',
  ],
};

/**
 * Actions of the older CAS API (2018-07-13) that the installed 2020-04-07 SDK does not have; still RAM actions of
 * `yundun-cert` (the reference's own examples: yundun-cert:CreateUserCertificate, DescribeUserCertificateDetail).
 * OOS has no SDK installed here: its actions are from the OOS API reference (StartExecution, ListExecutions,
 * ListTaskExecutions, CancelExecution, DeleteExecutions).
 */
export const ACTIONS_WITHOUT_INSTALLED_SDK: Readonly<Partial<Record<RamServiceCode, readonly string[]>>> = {
  'yundun-cert': ['CreateUserCertificate', 'DescribeUserCertificateDetail'],
  oos: ['StartExecution', 'ListExecutions', 'ListTaskExecutions', 'CancelExecution', 'DeleteExecutions'],
};

const NODE_MODULES = path.join(__dirname, '../../node_modules');
const sdkMethodsCache = new Map<string, Map<string, string>>();

/**
 * An installed SDK's client methods and the API action each calls, read from the SDK's own code: every
 * `xWithOptions` method builds `new $OpenApiUtil.Params({ action: "X", ... })`. Both `x` and `xWithOptions` map to X.
 */
export function sdkMethods(sdkPackage: string): Map<string, string> {
  const cached = sdkMethodsCache.get(sdkPackage);
  if (cached) return cached;
  const source = fs.readFileSync(path.join(NODE_MODULES, '@alicloud', sdkPackage, 'dist/client.js'), 'utf8');
  const methods = new Map<string, string>();
  for (const match of source.matchAll(/async (\w+)WithOptions\([^)]*\)\s*\{[\s\S]*?action:\s*"(\w+)"/g)) {
    methods.set(match[1], match[2]);
    methods.set(`${match[1]}WithOptions`, match[2]);
  }
  if (methods.size === 0) throw new Error(`found no API methods in @alicloud/${sdkPackage}: has its code layout changed?`);
  sdkMethodsCache.set(sdkPackage, methods);
  return methods;
}

/** Every API action an installed SDK can call. */
export function sdkActions(sdkPackage: string): Set<string> {
  return new Set(sdkMethods(sdkPackage).values());
}

const SDK_IMPORT = /^@alicloud\/([a-z]+\d{8})$/;

export interface ApiCall {
  readonly action: string;
  /** `lib/deploy/ros/ros-client.ts:446` */
  readonly where: string;
}

interface ParsedFile {
  readonly sdks: Set<string>;
  readonly relativeImports: string[];
  readonly source: ts.SourceFile;
  /** Identifiers bound to an SDK module (namespace or default import) or to one of its exports. */
  readonly bindings: Map<string, string>;
}

function parseFile(file: string, text: string): ParsedFile {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const sdks = new Set<string>();
  const relativeImports: string[] = [];
  const bindings = new Map<string, string>();
  for (const statement of source.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier) continue;
    const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
    if (specifier.startsWith('.')) {
      relativeImports.push(specifier);
      continue;
    }
    const sdk = SDK_IMPORT.exec(specifier)?.[1];
    if (!sdk) continue;
    if (!(sdk in SDK_RAM_CODES)) {
      throw new Error(`${file} imports @alicloud/${sdk}: add its RAM code to SDK_RAM_CODES (test/ci-identity/alibaba-api-calls.ts)`);
    }
    sdks.add(sdk);
    const clause = ts.isImportDeclaration(statement) ? statement.importClause : undefined;
    if (clause?.name) bindings.set(clause.name.text, sdk);
    const named = clause?.namedBindings;
    if (named && ts.isNamespaceImport(named)) bindings.set(named.name.text, sdk);
    if (named && ts.isNamedImports(named)) for (const element of named.elements) bindings.set(element.name.text, sdk);
  }
  return { sdks, relativeImports, source, bindings };
}

function resolveRelative(from: string, specifier: string, known: ReadonlyMap<string, unknown>): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => known.has(candidate));
}

function listTypeScript(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listTypeScript(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/**
 * The Alibaba Cloud APIs that code calls through the official SDKs, as `<RAM code>:<Action>`:
 * - `new $Sdk.XRequest(...)`, with `$Sdk` (or `XRequest` itself) imported from an `@alicloud/<sdk>` package;
 * - `.x(...)` or `.xWithOptions(...)` where x is a client method of an SDK that the file imports, directly or
 *   through the project modules it imports (a client handed over from the module that builds it).
 * `files` maps a path to its text; by default every TypeScript file under lib/.
 */
export function codeApiCalls(files?: ReadonlyMap<string, string>): Map<string, ApiCall[]> {
  const root = path.join(__dirname, '../..');
  const texts = files ?? new Map(listTypeScript(path.join(root, 'lib')).map((file) => [file, fs.readFileSync(file, 'utf8')]));
  const parsed = new Map([...texts].map(([file, text]) => [file, parseFile(file, text)]));

  const reachable = new Map<string, Set<string>>();
  const sdksReachableFrom = (file: string, visiting = new Set<string>()): Set<string> => {
    const known = reachable.get(file);
    if (known) return known;
    const own = parsed.get(file);
    const result = new Set(own?.sdks ?? []);
    if (own && !visiting.has(file)) {
      visiting.add(file);
      for (const specifier of own.relativeImports) {
        const target = resolveRelative(file, specifier, parsed);
        if (target) for (const sdk of sdksReachableFrom(target, visiting)) result.add(sdk);
      }
      visiting.delete(file);
    }
    if (visiting.size === 0) reachable.set(file, result);
    return result;
  };

  const calls = new Map<string, ApiCall[]>();
  const add = (sdk: string, action: string, file: string, node: ts.Node) => {
    const ram = `${SDK_RAM_CODES[sdk]}:${action}`;
    const line = parsed.get(file)!.source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    const list = calls.get(ram) ?? [];
    list.push({ action: ram, where: `${path.relative(root, file)}:${line}` });
    calls.set(ram, list);
  };

  for (const [file, { source, bindings }] of parsed) {
    const sdks = sdksReachableFrom(file);
    if (sdks.size === 0) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node)) {
        const callee = node.expression;
        let sdk: string | undefined;
        let name: string | undefined;
        if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
          sdk = bindings.get(callee.expression.text);
          name = callee.name.text;
        } else if (ts.isIdentifier(callee)) {
          sdk = bindings.get(callee.text);
          name = callee.text;
        }
        const action = name?.match(/^(\w+)Request$/)?.[1];
        if (sdk && action && sdkActions(sdk).has(action)) add(sdk, action, file, node);
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        for (const sdk of sdks) {
          const action = sdkMethods(sdk).get(method);
          if (action) add(sdk, action, file, node);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return calls;
}

/**
 * The APIs the synthesized ROS templates make ROS and OOS call: each resource type's APIs (ROS_RESOURCE_TYPE_APIS),
 * and every `ACS::ExecuteApi` task of an inline OOS template (`ALIYUN::OOS::Execution` TemplateContent).
 */
export function templateApiCalls(templates: Iterable<{ name: string; template: any }>): Map<string, ApiCall[]> {
  const calls = new Map<string, ApiCall[]>();
  const add = (action: string, where: string) => calls.set(action, [...(calls.get(action) ?? []), { action, where }]);
  for (const { name, template } of templates) {
    for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
      const where = `${name} ${logicalId} (${resource.Type})`;
      const apis = ROS_RESOURCE_TYPE_APIS[resource.Type];
      if (!apis) {
        throw new Error(
          `${where}: add the APIs ROS calls for ${resource.Type} to ROS_RESOURCE_TYPE_APIS (test/ci-identity/alibaba-api-calls.ts)`,
        );
      }
      for (const action of apis) add(action, where);
      if (resource.Type === 'ALIYUN::OOS::Execution' && typeof resource.Properties?.TemplateContent === 'string') {
        for (const task of JSON.parse(resource.Properties.TemplateContent).Tasks ?? []) {
          if (task.Action !== 'ACS::ExecuteApi') continue;
          const code = OOS_SERVICE_RAM_CODES[String(task.Properties.Service).toUpperCase()];
          if (!code)
            throw new Error(`${where}: OOS task ${task.Name} calls service ${task.Properties.Service}; add it to OOS_SERVICE_RAM_CODES`);
          add(`${code}:${task.Properties.API}`, `${where} OOS task ${task.Name}`);
        }
      }
    }
  }
  return calls;
}

/** The actions a RAM policy document's Allow statements name. */
export function grantedActions(role: any): Set<string> {
  const statements: any[] = role.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement);
  return new Set(statements.filter((statement) => statement.Effect === 'Allow').flatMap((statement) => [statement.Action].flat()));
}

/** Required actions the role does not grant, each with where it is needed. */
export function missingActions(role: any, required: ReadonlyMap<string, ApiCall[]>): string[] {
  const granted = grantedActions(role);
  return [...required.keys()]
    .filter((action) => !granted.has(action))
    .sort()
    .map((action) => `${action} (needed by ${required.get(action)![0].where})`);
}

/** Granted actions whose service code is not a RAM code (e.g. `cas:`), or whose action no API of the service has. */
export function unknownActions(role: any): string[] {
  const apisOf = (code: RamServiceCode): Set<string> => {
    const fromSdks = Object.entries(SDK_RAM_CODES)
      .filter(([sdk, ramCode]) => ramCode === code && fs.existsSync(path.join(NODE_MODULES, '@alicloud', sdk)))
      .flatMap(([sdk]) => [...sdkActions(sdk)]);
    return new Set([...fromSdks, ...(ACTIONS_WITHOUT_INSTALLED_SDK[code] ?? [])]);
  };
  return [...grantedActions(role)]
    .filter((granted) => {
      const [code, action] = granted.split(':');
      if (!(RAM_SERVICE_CODES as readonly string[]).includes(code)) return true;
      return !apisOf(code as RamServiceCode).has(action);
    })
    .sort();
}
