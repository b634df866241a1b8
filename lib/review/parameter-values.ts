/**
 * What the deploy actually passes for each template parameter, and the template with those values put in place of
 * the references, so a review diffs what a deploy would apply rather than `{"Ref":"OriginHost"}` on both sides.
 *
 * Every parameter default of our stacks is computed from the configuration at synth (the CDN stack's `OriginHost`,
 * `BucketName`, `BucketRegion`, `OriginPathPrefix` and `CasCertificateId`), and the deploy passes the same values:
 * the origin stack's outputs (derived from the same configuration by lib/config/naming) or, for a stack not deployed
 * yet, the configured values themselves (lib/deploy/origin-secrets-for-ros.ts `rosParametersFor`). So a parameter's
 * default is the value the deploy applies. A parameter the deploy does not pass (`CasCertificateId`) gets its default
 * too: ROS UpdateStack (and CreateChangeSet) with UsePreviousParameters unset, i.e. false, use "its default value from
 * the template" (ROS API reference, "UpdateStack", operation description); nothing here sets UsePreviousParameters.
 * test/review/deployed-values.test.ts checks the defaults against what `rosParametersFor` passes. Parameters the review cannot know stay references and are never
 * substituted: NoEcho parameters (secrets, read from Secrets Manager at deploy time), parameters without a default
 * (the Route 53 stack's `CdnCname`, filled from the ROS stack's output), and CloudFormation SSM parameter types,
 * whose default is a parameter-store path, not the value (CloudFormation User Guide, "Parameters": "SSM parameter
 * types ... the value is the name of the parameter in Parameter Store").
 */

import { isNoEcho, parametersOf } from './secret-redaction';
/** A synthesized template (stack-diff.ts `Template`), kept local so the two modules do not import each other. */
type Template = Record<string, unknown>;

/** Parameter name → the value the deploy passes (only for parameters whose value the review knows). */
export type ParameterValues = ReadonlyMap<string, unknown>;

const SSM_PARAMETER_TYPE = /^AWS::SSM::Parameter::Value</;

export function knownParameterValues(template: Template | undefined): ParameterValues {
  const values = new Map<string, unknown>();
  for (const [name, parameter] of Object.entries(parametersOf(template))) {
    if (isNoEcho(parameter) || parameter.Default === undefined) continue;
    if (typeof parameter.Type === 'string' && SSM_PARAMETER_TYPE.test(parameter.Type)) continue;
    values.set(name, parameter.Default);
  }
  return values;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `${Name}` in an Fn::Sub string (not `${!Literal}`, not `${Resource.Attr}`), for names not bound by the Sub. */
function substituteInSub(text: string, values: ParameterValues, bound: ReadonlySet<string>): string {
  return text.replace(/\$\{([A-Za-z0-9_:]+)\}/g, (whole, name: string) =>
    !bound.has(name) && values.has(name) && typeof values.get(name) !== 'object' ? String(values.get(name)) : whole,
  );
}

/** An Fn::Sub with nothing left to substitute is the string it yields (`${!Name}` is a literal `${Name}`). */
function foldSub(text: string): unknown {
  return /\$\{(?!!)/.test(text) ? { 'Fn::Sub': text } : text.replace(/\$\{!/g, '${');
}

/**
 * Replaces `{"Ref": P}` (and `${P}` inside Fn::Sub) for every parameter in `values`, then folds an `Fn::Join` whose
 * parts all became strings, and an `Fn::Sub` with nothing left to substitute, into the string the service would see.
 */
export function substituteParameters(value: unknown, values: ParameterValues): unknown {
  if (Array.isArray(value)) return value.map((item) => substituteParameters(item, values));
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys;
    const argument = value[key];
    if (key === 'Ref' && typeof argument === 'string' && values.has(argument)) return values.get(argument);
    if (key === 'Fn::Sub') {
      if (typeof argument === 'string') return foldSub(substituteInSub(argument, values, new Set()));
      if (Array.isArray(argument) && typeof argument[0] === 'string' && isPlainObject(argument[1])) {
        const variables = substituteParameters(argument[1], values) as Record<string, unknown>;
        const literal = new Map(Object.entries(variables).filter(([, variable]) => typeof variable === 'string'));
        const text = substituteInSub(substituteInSub(argument[0], literal, new Set()), values, new Set(Object.keys(variables)));
        return literal.size === Object.keys(variables).length ? foldSub(text) : { 'Fn::Sub': [text, variables] };
      }
    }
    if (key === 'Fn::Join') {
      const joined = substituteParameters(argument, values);
      if (Array.isArray(joined) && typeof joined[0] === 'string' && Array.isArray(joined[1])) {
        const parts = joined[1] as unknown[];
        if (parts.every((part) => typeof part === 'string')) return parts.join(joined[0]);
      }
      return { 'Fn::Join': joined };
    }
  }
  return Object.fromEntries(keys.map((key) => [key, substituteParameters(value[key], values)]));
}

/** The template as the deploy applies it: Resources and Outputs with the known parameter values in place. */
export function withDeployedParameterValues(template: Template | undefined): Template | undefined {
  if (!template) return undefined;
  const values = knownParameterValues(template);
  if (values.size === 0) return template;
  const resolved: Template = { ...template };
  for (const section of ['Resources', 'Outputs'] as const) {
    if (template[section] !== undefined) resolved[section] = substituteParameters(template[section], values);
  }
  return resolved;
}
