import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildAwsApp } from '../../lib/aws/aws-app';
import { pinnedSecretVersions } from '../../lib/deploy/origin-secrets-for-ros';
import { recordingReporter } from '../../lib/deploy/reporter';
import { alibabaSideReminder, awsContextForCdkCli, cdkCliInvocation, type ProcessInfo } from '../../lib/cli/app-entry';
import { secretNamesFor } from '../../lib/origin-access/secret-names';
import { IamDouble, SecretsManagerDouble } from '../doubles/iam-secrets-test-doubles';
import { REFERER_A, refererSecretJson } from '../deploy/aws/secret-fixtures';
import { exampleStageWith } from '../helpers/stage-fixtures';

/*
 * `npx cdk deploy` runs bin/aws-app.ts under the cdk CLI; `npm run deploy` synthesizes in process with the context it
 * computed, then deploys that assembly. Both must write the same origin template, or every deploy by one undoes the
 * other's (a re-resolved secret, a CDKMetadata resource coming and going).
 */

const projectDir = path.join(__dirname, '../..');

/** The context the cdk CLI hands an app: cdk.json's, plus what `contextFromSettings` (aws-cdk CLI 2.1148) adds. */
function cdkCliContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(projectDir, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return {
    ...cdkJson.context,
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
    'aws:cdk:version-reporting': true,
    'aws:cdk:bundling-stacks': ['**'],
    '@aws-cdk/core:failSynthOnValidationErrors': false,
  };
}

function originTemplate(stage: ReturnType<typeof exampleStageWith>, context: Record<string, string>, cliEnv?: NodeJS.ProcessEnv): unknown {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-app-entry-'));
  const saved = { ...process.env };
  try {
    Object.assign(process.env, cliEnv ?? {});
    buildAwsApp(stage, { outdir, context }).synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, `${stage.sites[0].stackNames.origin}.template.json`), 'utf8'));
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('npx cdk deploy and npm run deploy write the same origin template', () => {
  const stage = exampleStageWith((site) => (site.originAccess = { mode: 'referer-secret' }));
  const site = stage.sites[0];

  test('for a stage whose referer secret exists', async () => {
    const secrets = new SecretsManagerDouble();
    secrets.addSecret(secretNamesFor(site).refererSecret, refererSecretJson(REFERER_A));
    const iam = new IamDouble('unused');
    const clients = { secretsManager: () => secrets.client, iam: () => iam.client };

    // npm run deploy: the deploy command pins the version and synthesizes in process.
    const deployContext = await pinnedSecretVersions(stage, { purpose: 'deploy', ...clients, reporter: recordingReporter() });
    expect(Object.keys(deployContext)).toEqual([`s3alicdn:refererSecretVersion:${site.id}`]);
    const byDeployCommand = originTemplate(stage, deployContext);

    // npx cdk deploy: the CLI runs the app with its own context and account; the app reads the pin itself.
    const cliEnv = {
      CDK_CONTEXT_JSON: JSON.stringify(cdkCliContext()),
      CDK_DEFAULT_ACCOUNT: '111122223333',
      CDK_DEFAULT_REGION: 'ap-northeast-2',
    };
    const appContext = await awsContextForCdkCli(stage, { command: 'deploy' }, clients);
    expect(appContext).toEqual(deployContext);
    const byCdkCli = originTemplate(stage, appContext, cliEnv);

    expect(byCdkCli).toEqual(byDeployCommand);
    // And the pin is what makes them equal: without it the bucket policy's references would differ.
    expect(JSON.stringify(byDeployCommand)).toContain(
      `SecretString:current::${deployContext[`s3alicdn:refererSecretVersion:${site.id}`]}}}`,
    );
  }, 120_000);

  test('a referer secret that does not exist yet is created by cdk deploy, as by the deploy command; diff creates nothing', async () => {
    const secrets = new SecretsManagerDouble();
    const iam = new IamDouble('unused');
    const clients = { secretsManager: () => secrets.client, iam: () => iam.client };
    expect(await awsContextForCdkCli(stage, { command: 'diff' }, clients)).toEqual({});
    expect(await awsContextForCdkCli(stage, { command: 'synth' }, clients)).toEqual({});
    const context = await awsContextForCdkCli(stage, { command: 'deploy' }, clients);
    expect(Object.keys(context)).toEqual([`s3alicdn:refererSecretVersion:${site.id}`]);
    expect(await awsContextForCdkCli(stage, { command: 'diff' }, clients)).toEqual(context);
  });
});

describe('which cdk command runs the app', () => {
  // A process tree as Linux shows it for `npx cdk deploy`: npm exec -> node .../aws-cdk/bin/cdk -> sh -> the app.
  const tree: Record<number, ProcessInfo> = {
    300: { ppid: 200, args: ['/bin/sh', '-c', 'node --import tsx bin/aws-app.ts'] },
    200: {
      ppid: 100,
      args: ['node', '/work/p/node_modules/.bin/cdk', '--profile', 'dev', 'deploy', 's3alicdn-example-test-test-com-origin'],
    },
    100: { ppid: 1, args: ['npm', 'exec', 'cdk', 'deploy'] },
  };
  const read = (pid: number) => tree[pid];

  test('deploy, with the profile the CLI was given', () => {
    expect(cdkCliInvocation({ CDK_OUTDIR: 'cdk.out' }, read, 300)).toEqual({ command: 'deploy', profile: 'dev' });
  });

  test('synth under the CLI; and not under the CLI at all', () => {
    const synth: Record<number, ProcessInfo> = {
      20: { ppid: 1, args: ['node', '/p/node_modules/aws-cdk/bin/cdk', 'synth', '--profile=ci'] },
    };
    expect(cdkCliInvocation({ CDK_OUTDIR: 'cdk.out' }, (pid) => synth[pid], 20)).toEqual({ command: 'synth', profile: 'ci' });
    expect(cdkCliInvocation({}, read, 300)).toBeUndefined();
  });

  test('a process tree that cannot be read leaves the command unknown (no reminder, no secret reads)', () => {
    expect(cdkCliInvocation({ CDK_OUTDIR: 'cdk.out' }, () => undefined, 300)).toEqual({});
  });

  test('this very process: the real reader finds no cdk CLI among jest’s ancestors', () => {
    expect(cdkCliInvocation({ CDK_OUTDIR: 'x' })).toEqual({});
  });

  test('the reminder names what was not done and the one command that finishes the job', () => {
    const text = alibabaSideReminder(exampleStageWith());
    expect(text).toContain('It does not deploy the Alibaba Cloud side');
    expect(text).toContain('To finish, run: npm run deploy -- --stage example');
  });
});
