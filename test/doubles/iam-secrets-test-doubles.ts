import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { randomBytes, randomUUID } from 'node:crypto';
import { awsError, iamError } from './aws-error-doubles';

/**
 * Stateful test doubles for the IAM and Secrets Manager calls the rotation code makes, installed through
 * aws-sdk-client-mock so the real SDK clients and commands are used. They keep enough state (keys, user tags,
 * secret versions and stage labels) for multi-step and re-run scenarios, and follow the documented semantics:
 * two keys per user, AWSPREVIOUS moving with AWSCURRENT, ClientRequestToken idempotency.
 * - CreateAccessKey beyond two keys: LimitExceeded, "Cannot exceed quota for AccessKeysPerUser: 2" (IAM User Guide,
 *   "IAM and AWS STS quotas": access keys per IAM user, 2).
 * - DeleteUser while the user has access keys: DeleteConflict, HTTP 409 (IAM API reference, DeleteUser: "you must
 *   delete the items attached to the user manually", access keys among them; CloudFormation's deletion of an
 *   AWS::IAM::User fails the same way when keys made outside the stack are left).
 * - DeleteSecret without ForceDeleteWithoutRecovery schedules the deletion (a DeletedDate; Secrets Manager API
 *   reference, DeleteSecret, recovery window 7–30 days, default 30); with it the secret is gone at once.
 */

type CommandName = string;

class FailureInjector {
  private readonly pending = new Map<CommandName, Error[]>();

  failNext(command: CommandName, error: Error): void {
    this.pending.set(command, [...(this.pending.get(command) ?? []), error]);
  }

  check(command: CommandName): void {
    const queue = this.pending.get(command);
    const error = queue?.shift();
    if (error) throw error;
  }
}

export interface KeyState {
  accessKeyId: string;
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
  createDate: Date;
}

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const randomFrom = (alphabet: string, length: number) =>
  Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');

export class IamDouble extends FailureInjector {
  /**
   * Key ids in IAM's shape (AKIA + 16 of A-Z2-7), unique within this double and the same sequence in every test: the
   * CDN template is named by the reader key's id, so equal ids let tests share one cached synth (synth-memo.ts).
   */
  private keysCreated = 0;
  private nextAccessKeyId(): string {
    this.keysCreated += 1;
    let suffix = '';
    for (let rest = this.keysCreated; suffix.length < 6; rest = Math.floor(rest / ALNUM_UPPER.length)) {
      suffix = ALNUM_UPPER[rest % ALNUM_UPPER.length] + suffix;
    }
    return `AKIATESTDOUBLE${suffix}`;
  }

  readonly client = new IAMClient({ region: 'us-east-1' });
  readonly mock = mockClient(this.client);
  readonly keys = new Map<string, KeyState[]>();
  readonly tags = new Map<string, Map<string, string>>();
  private clock = Date.parse('2025-01-01T00:00:00Z');

  constructor(userName: string) {
    super();
    this.keys.set(userName, []);
    this.tags.set(userName, new Map());
    this.install();
  }

  addKey(userName: string, accessKeyId: string, secretAccessKey: string, status: 'Active' | 'Inactive' = 'Active'): void {
    this.userKeys(userName).push({ accessKeyId, secretAccessKey, status, createDate: new Date((this.clock += 60_000)) });
  }

  keyIds(userName: string): string[] {
    return this.userKeys(userName).map((key) => key.accessKeyId);
  }

  key(userName: string, accessKeyId: string): KeyState | undefined {
    return this.userKeys(userName).find((key) => key.accessKeyId === accessKeyId);
  }

  private userKeys(userName: string): KeyState[] {
    const keys = this.keys.get(userName);
    if (!keys) throw iamError('NoSuchEntity', `The user with name ${userName} cannot be found.`, 404);
    return keys;
  }

  private userTags(userName: string): Map<string, string> {
    this.userKeys(userName);
    return this.tags.get(userName)!;
  }

  private install(): void {
    this.mock.on(ListAccessKeysCommand).callsFake(({ UserName }) => {
      this.check('ListAccessKeys');
      const AccessKeyMetadata = this.userKeys(UserName).map((key) => ({
        UserName,
        AccessKeyId: key.accessKeyId,
        Status: key.status,
        CreateDate: key.createDate,
      }));
      return { AccessKeyMetadata, IsTruncated: false };
    });
    this.mock.on(CreateAccessKeyCommand).callsFake(({ UserName }) => {
      this.check('CreateAccessKey');
      const keys = this.userKeys(UserName);
      if (keys.length >= 2) throw iamError('LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2', 409);
      const key: KeyState = {
        accessKeyId: this.nextAccessKeyId(),
        secretAccessKey: randomBytes(30).toString('base64'),
        status: 'Active',
        createDate: new Date((this.clock += 60_000)),
      };
      keys.push(key);
      return {
        AccessKey: {
          UserName,
          AccessKeyId: key.accessKeyId,
          SecretAccessKey: key.secretAccessKey,
          Status: 'Active',
          CreateDate: key.createDate,
        },
      };
    });
    this.mock.on(UpdateAccessKeyCommand).callsFake(({ UserName, AccessKeyId, Status }) => {
      this.check('UpdateAccessKey');
      const key = this.key(UserName, AccessKeyId);
      if (!key) throw iamError('NoSuchEntity', `The Access Key with id ${AccessKeyId} cannot be found.`, 404);
      key.status = Status;
      return {};
    });
    this.mock.on(DeleteAccessKeyCommand).callsFake(({ UserName, AccessKeyId }) => {
      this.check('DeleteAccessKey');
      const keys = this.userKeys(UserName);
      const index = keys.findIndex((key) => key.accessKeyId === AccessKeyId);
      if (index < 0) throw iamError('NoSuchEntity', `The Access Key with id ${AccessKeyId} cannot be found.`, 404);
      keys.splice(index, 1);
      return {};
    });
    this.mock.on(DeleteUserCommand).callsFake(({ UserName }) => {
      this.check('DeleteUser');
      if (this.userKeys(UserName).length > 0) throw iamError('DeleteConflict', 'Cannot delete entity, must delete access keys first.', 409);
      this.keys.delete(UserName);
      this.tags.delete(UserName);
      return {};
    });
    this.mock.on(ListUserTagsCommand).callsFake(({ UserName }) => {
      this.check('ListUserTags');
      return { Tags: [...this.userTags(UserName)].map(([Key, Value]) => ({ Key, Value })), IsTruncated: false };
    });
    this.mock.on(TagUserCommand).callsFake(({ UserName, Tags }) => {
      this.check('TagUser');
      for (const tag of Tags) this.userTags(UserName).set(tag.Key, tag.Value);
      return {};
    });
    this.mock.on(UntagUserCommand).callsFake(({ UserName, TagKeys }) => {
      this.check('UntagUser');
      for (const key of TagKeys) this.userTags(UserName).delete(key);
      return {};
    });
  }
}

interface SecretVersion {
  versionId: string;
  secretString: string;
  stages: Set<string>;
}

interface SecretState {
  arn: string;
  name: string;
  versions: SecretVersion[];
  deleted?: Date;
}

export class SecretsManagerDouble extends FailureInjector {
  readonly client = new SecretsManagerClient({ region: 'ap-northeast-2' });
  readonly mock = mockClient(this.client);
  readonly secrets = new Map<string, SecretState>();
  /** Values GetRandomPassword returns next; random letters and digits when empty. */
  readonly randomPasswords: string[] = [];

  constructor() {
    super();
    this.install();
  }

  addSecret(name: string, initialValue?: string): string {
    const arn = `arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:${name}-${randomFrom('abcdefABCDEF', 6)}`;
    const state: SecretState = { arn, name, versions: [] };
    this.secrets.set(arn, state);
    if (initialValue !== undefined) this.putVersion(state, initialValue);
    return arn;
  }

  /** The value of the version holding a stage label, or undefined. */
  value(secretId: string, stage = 'AWSCURRENT'): string | undefined {
    return this.find(secretId)?.versions.find((version) => version.stages.has(stage))?.secretString;
  }

  versionCount(secretId: string): number {
    return this.find(secretId)?.versions.length ?? 0;
  }

  private find(secretId: string): SecretState | undefined {
    return this.secrets.get(secretId) ?? [...this.secrets.values()].find((secret) => secret.name === secretId);
  }

  private require(secretId: string): SecretState {
    const state = this.find(secretId);
    if (!state) throw awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return state;
  }

  private putVersion(state: SecretState, secretString: string, token?: string): SecretVersion {
    const existing = token ? state.versions.find((version) => version.versionId === token) : undefined;
    if (existing) {
      if (existing.secretString !== secretString) {
        throw awsError('ResourceExistsException', 'A resource with the ID you requested already exists.');
      }
      return existing;
    }
    const current = state.versions.find((version) => version.stages.has('AWSCURRENT'));
    for (const version of state.versions) version.stages.delete('AWSPREVIOUS');
    if (current) {
      current.stages.delete('AWSCURRENT');
      current.stages.add('AWSPREVIOUS');
    }
    const version = { versionId: token ?? randomUUID(), secretString, stages: new Set(['AWSCURRENT']) };
    state.versions.push(version);
    return version;
  }

  private install(): void {
    this.mock.on(DescribeSecretCommand).callsFake(({ SecretId }) => {
      this.check('DescribeSecret');
      const state = this.require(SecretId);
      const VersionIdsToStages = Object.fromEntries(
        state.versions.filter((version) => version.stages.size).map((version) => [version.versionId, [...version.stages]]),
      );
      return { ARN: state.arn, Name: state.name, VersionIdsToStages, DeletedDate: state.deleted };
    });
    this.mock.on(GetSecretValueCommand).callsFake(({ SecretId, VersionStage }) => {
      this.check('GetSecretValue');
      const state = this.require(SecretId);
      const stage = VersionStage ?? 'AWSCURRENT';
      const version = state.versions.find((version) => version.stages.has(stage));
      if (!version)
        throw awsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${stage}`);
      return {
        ARN: state.arn,
        Name: state.name,
        VersionId: version.versionId,
        SecretString: version.secretString,
        VersionStages: [...version.stages],
      };
    });
    this.mock.on(PutSecretValueCommand).callsFake(({ SecretId, SecretString, ClientRequestToken }) => {
      this.check('PutSecretValue');
      const state = this.require(SecretId);
      const version = this.putVersion(state, SecretString, ClientRequestToken);
      return { ARN: state.arn, Name: state.name, VersionId: version.versionId, VersionStages: [...version.stages] };
    });
    this.mock.on(UpdateSecretVersionStageCommand).callsFake(({ SecretId, VersionStage, MoveToVersionId, RemoveFromVersionId }) => {
      this.check('UpdateSecretVersionStage');
      const state = this.require(SecretId);
      const from = state.versions.find((version) => version.versionId === RemoveFromVersionId);
      const to = state.versions.find((version) => version.versionId === MoveToVersionId);
      if (!from?.stages.has(VersionStage) || !to)
        throw awsError('InvalidParameterException', 'The parameter RemoveFromVersionId does not match the version holding the label.');
      from.stages.delete(VersionStage);
      to.stages.add(VersionStage);
      if (VersionStage === 'AWSCURRENT') {
        to.stages.delete('AWSPREVIOUS');
        for (const version of state.versions) version.stages.delete('AWSPREVIOUS');
        from.stages.add('AWSPREVIOUS');
      }
      return { ARN: state.arn, Name: state.name };
    });
    this.mock.on(DeleteSecretCommand).callsFake(({ SecretId, ForceDeleteWithoutRecovery }) => {
      this.check('DeleteSecret');
      const state = this.require(SecretId);
      if (ForceDeleteWithoutRecovery) this.secrets.delete(state.arn);
      else state.deleted ??= new Date();
      return { ARN: state.arn, Name: state.name, DeletionDate: state.deleted ?? new Date() };
    });
    this.mock.on(CreateSecretCommand).callsFake(({ Name, SecretString }) => {
      this.check('CreateSecret');
      if (this.find(Name)) throw awsError('ResourceExistsException', `The operation failed because the secret ${Name} already exists.`);
      const arn = this.addSecret(Name, SecretString);
      return { ARN: arn, Name, VersionId: this.find(arn)!.versions[0]?.versionId };
    });
    this.mock.on(GetRandomPasswordCommand).callsFake(({ PasswordLength }) => {
      this.check('GetRandomPassword');
      const next = this.randomPasswords.shift();
      return { RandomPassword: next ?? randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', PasswordLength ?? 32) };
    });
  }
}
