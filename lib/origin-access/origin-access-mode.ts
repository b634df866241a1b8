import type * as ros from '@alicloud/ros-cdk-core';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { SiteConfig } from '../config/resolve-stage';
import type { ORIGIN_ACCESS_MODES } from '../config/schema';
import { S3AlicdnError } from '../errors';

/**
 * What an origin-access mode is: everything both apps and the deploy need to know about it, in one object per mode
 * (`signed.ts`, `referer-secret.ts`, `referer.ts`). Callers ask the mode instead of comparing its name, so adding or
 * changing a mode touches one file.
 *
 * This folder sits beside `lib/aws` and `lib/ros` and below their stacks: it imports only `lib/config`,
 * `lib/errors.ts` and the CDK/ROS packages, never the stacks that ask it.
 */

/** The names a stage file may give `originAccess.mode`; the list itself lives with the rest of the schema. */
export type OriginAccessModeName = (typeof ORIGIN_ACCESS_MODES)[number];

/** S3 Block Public Access, all four flags always given (CDK turns an omitted flag on under its BPA-by-default flag). */
export interface BlockPublicAccessFlags {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

export interface BucketArns {
  readonly bucketArn: string;
  /** `<bucketArn>/*` */
  readonly objectsArn: string;
}

/** A cdk-nag finding accepted on purpose; `lib/aws/rule-acknowledgements.ts` lists every one of them. */
export interface AcknowledgedFinding {
  readonly id: string;
  readonly reason: string;
}

/**
 * The secrets a mode keeps in AWS Secrets Manager, by constant name: code that handles each kind (`lib/deploy`) names
 * it through this table, since one kind is spelled like the mode that uses it.
 */
export const ORIGIN_SECRET_KINDS = { readerKey: 'reader-key', refererSecret: 'referer-secret' } as const;

/** What `rotate --target` accepts: every secret kind. */
export const ROTATION_TARGETS = [ORIGIN_SECRET_KINDS.readerKey, ORIGIN_SECRET_KINDS.refererSecret] as const;
export type RotationTarget = (typeof ROTATION_TARGETS)[number];
export type OriginSecretKind = RotationTarget;

/** A secret the mode's CDN needs, and when the deploy must have made sure it holds a usable value. */
export interface OriginSecret {
  readonly kind: OriginSecretKind;
  /** Its Secrets Manager name (the deploy may also reach it by the ARN the origin stack outputs). */
  secretName(site: Pick<SiteConfig, 'stage' | 'id'>): string;
  /**
   * `before-synth`: the deploy creates it before synth, because its version is pinned into the origin template.
   * `after-origin-deploy`: the origin stack creates it (a placeholder); the deploy stores the real value afterwards.
   */
  readonly ensure: 'before-synth' | 'after-origin-deploy';
}

/** What a deploy must check before it changes anything, for a site in this mode. */
export interface PreflightNeeds {
  /**
   * Account-level Block Public Access flags that must be off, or the bucket policy is rejected (BlockPublicPolicy) or
   * silently ignored (RestrictPublicBuckets). Empty when account settings cannot break the mode.
   */
  readonly accountBlockPublicAccessOff: readonly ('blockPublicPolicy' | 'restrictPublicBuckets')[];
  /** The secret the mode cannot deploy without, if any. */
  readonly secret?: OriginSecret;
}

/** An origin stack output the deploy reads; `shape` lets the deploy validate the value without knowing the mode. */
export interface OriginOutput {
  readonly key: string;
  readonly description: string;
  readonly shape: 'secret-arn' | 'iam-user-name';
}

/** What the origin stack hands a mode so it can add its origin-side resources. */
export interface OriginContext {
  /** The origin stack: outputs are created by it, directly in stack scope, so their keys stay the logical ids. */
  readonly scope: Construct;
  readonly site: SiteConfig;
  readonly arns: BucketArns;
  /** Logical id of the origin bucket, for acknowledgements that name a finding by resource. */
  readonly bucketLogicalId: string;
}

export interface OriginResources {
  /** Added to the bucket policy after the mode-independent TLS-only deny. */
  readonly bucketStatements: readonly iam.PolicyStatement[];
  /** A value for every key of the mode's `originOutputs`. */
  readonly outputValues: Readonly<Record<string, string>>;
  /** The construct holding the mode's origin-side resources, when it has any. */
  readonly construct?: Construct;
}

export type CdnArgValue = string | ros.IResolvable;

/**
 * One CDN feature function. The same shape as `lib/ros`'s `CdnFunction` (declared again here because this folder sits
 * below `lib/ros`); TypeScript checks the two agree wherever the ROS stack uses these.
 */
export interface CdnAuthFunction {
  readonly functionName: string;
  readonly functionArgs: ReadonlyArray<{ readonly argName: string; readonly argValue: CdnArgValue }>;
}

export function cdnFunction(functionName: string, args: Record<string, CdnArgValue>): CdnAuthFunction {
  return { functionName, functionArgs: Object.entries(args).map(([argName, argValue]) => ({ argName, argValue })) };
}

/** A ROS parameter the mode needs. Every one of them carries a secret, so each is NoEcho and has no default. */
export interface RosSecretParameter {
  readonly name: string;
  readonly description: string;
}

/** What the CDN stack hands a mode to build its origin-auth functions. */
export interface CdnAuthContext {
  readonly site: SiteConfig;
  readonly bucketName: CdnArgValue;
  readonly bucketRegion: CdnArgValue;
  /** The stack's reference to each of the mode's `rosSecretParameters`, by name. */
  readonly secretParameters: Readonly<Record<string, CdnArgValue>>;
}

/** Secret values the deploy read from Secrets Manager, already revealed, by the secret they came from. */
export interface OriginSecretValues {
  readonly 'reader-key'?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly 'referer-secret'?: { readonly current: string };
}

export interface RosParameterInput {
  /** The origin stack's outputs by output key, as `cdk deploy --outputs-file` wrote them. */
  readonly originOutputs: Readonly<Record<string, string>>;
  readonly secrets: OriginSecretValues;
}

export interface RosParameterValues {
  readonly parameters: Readonly<Record<string, string>>;
  /** The keys of `parameters` whose values must never be shown. */
  readonly noEcho: readonly string[];
}

export interface OriginAccessMode {
  readonly name: OriginAccessModeName;
  /** The bucket's own Block Public Access settings. */
  readonly blockPublicAccess: BlockPublicAccessFlags;
  /** Findings accepted on the origin bucket in this mode. */
  readonly bucketFindings: readonly AcknowledgedFinding[];
  /** The origin stack calls this once, after the bucket and its TLS-only deny exist. */
  addOriginResources(context: OriginContext): OriginResources;
  /** Outputs the origin stack exports for this mode, in template order. */
  readonly originOutputs: readonly OriginOutput[];
  /** The ROS parameters this mode adds to the CDN stack (NoEcho), in template order. */
  readonly rosSecretParameters: readonly RosSecretParameter[];
  /** How the CDN proves itself to S3 on every origin fetch. */
  cdnAuthFunctions(context: CdnAuthContext): CdnAuthFunction[];
  /**
   * What removing the old origin-auth DomainConfig (one logical resource per credential version) must do on the CDN.
   * `retain` for a single-instance function (a new resource overwrites the same config, so deleting the old resource
   * would delete the new setting); `delete` for a function every set adds as a config of its own (its old config must
   * go, and deleting it leaves the new one).
   */
  readonly cdnAuthOnRemoval: 'retain' | 'delete';
  /** Pure: the values of `rosSecretParameters` for one deploy. Throws when a secret it needs was not read. */
  rosParameterValues(input: RosParameterInput): RosParameterValues;
  readonly preflight: PreflightNeeds;
  /** What `rotate` rotates for a site in this mode. */
  readonly rotationTarget: RotationTarget | 'none';
  /** Request headers whose value, in this mode, authenticates the CDN (lower case); reviews redact them. */
  readonly secretHeaders: readonly string[];
}

/** A mode asked for something it cannot give: an unknown mode name, or a ROS parameter whose secret was not read. */
export class OriginAccessError extends S3AlicdnError {}
