import * as fs from 'node:fs';
import { outputsFilePath, readDeployOutputs } from '../../lib/deploy/deploy-outputs-file';
import { deployStage } from '../../lib/deploy/deploy-stage';
import { exitCodeOf } from '../../lib/errors';
import { CDN_STACK_PARAMETERS } from '../../lib/ros/stack-interface';
import { trackUnhandledRejections } from '../doubles/ros-harness';
import { exampleStageWith, twoSiteStage } from '../helpers/stage-fixtures';
import { deploy, useStageWorld, world, worldDependencies } from './stage-world';

/**
 * A CDN domain's first time on Alibaba (issue: "ROS, Alibaba CDN and RAM as they really behave"): the ownership
 * verification of its root domain, and the review of a domain with a non-Alibaba origin, against the doubles'
 * documented behaviour (test/doubles/cdn-function-state.ts).
 */
const rejections = trackUnhandledRejections();
afterAll(() => expect(rejections).toEqual([]));
useStageWorld();

const DOMAIN = 'test.test.com';
const CDN_STACK = 's3alicdn-example-test-test-com-cdn';
const calls = (action: string) => world.server.calls.filter((call) => call.action === action);
const firstCallIndex = (action: string) => world.server.calls.findIndex((call) => call.action === action);
const resourcesOfCdnStack = () => [...(world.ros.stackByName(CDN_STACK)?.resources.keys() ?? [])].sort();

describe('ownership of the root domain, the first time on an account', () => {
  beforeEach(() => world.ros.cdn.verifiedRoots.clear());

  test('with Alibaba Cloud DNS: the deploy adds the TXT record, verifies, removes the record, then creates the site', async () => {
    const { summary, lines } = await deploy();
    expect(summary.error).toBeUndefined();
    expect(summary.ok).toBe(true);
    const [added] = calls('AddDomainRecord');
    expect(added.params).toMatchObject({
      DomainName: 'test.com',
      RR: 'verification',
      Type: 'TXT',
      Value: world.ros.cdn.verifyContent(DOMAIN),
    });
    // Verified before anything was created on either cloud.
    expect(firstCallIndex('VerifyDomainOwner')).toBeLessThan(firstCallIndex('CreateChangeSet'));
    expect(world.cdkCalls).toHaveLength(1);
    expect(world.ros.cdn.verifiedRoots.has('test.com')).toBe(true);
    expect(calls('DeleteDomainRecord')).toHaveLength(1);
    expect(world.dns.lookup('verification.test.com', 'TXT')).toEqual([]);
    expect(summary.preflight.find((finding) => finding.check === `CDN domain ownership (${DOMAIN})`)?.message).toContain(
      'the deploy adds TXT verification.test.com',
    );
    expect(lines.join('\n')).toContain('Alibaba CDN verified that this account owns test.com');
  });

  test('a record left by an interrupted run is reused, not added twice', async () => {
    world.dns.records.set('77', {
      RecordId: '77',
      DomainName: 'test.com',
      RR: 'verification',
      Type: 'TXT',
      Value: world.ros.cdn.verifyContent(DOMAIN),
      TTL: 600,
    });
    // The leftover record already proves ownership to VerifyDomainOwner, so the preflight finds the root verified.
    const { summary } = await deploy();
    expect(summary.ok).toBe(true);
    expect(calls('AddDomainRecord')).toHaveLength(0);
  });

  test('DNS elsewhere: the preflight prints the exact record and stops before anything is created; with the record it goes on', async () => {
    const stage = exampleStageWith((site) => (site.dns = { provider: 'none' }));
    const first = await deploy(stage);
    expect(first.summary).toMatchObject({ ok: false, failedStep: 'preflight', code: 'PREFLIGHT_FAILED' });
    const finding = first.summary.preflight.find((candidate) => candidate.check === `CDN domain ownership (${DOMAIN})`);
    expect(finding).toMatchObject({ ok: false });
    expect(finding?.fix).toContain(`verification.test.com  TXT  "${world.ros.cdn.verifyContent(DOMAIN)}"`);
    expect(world.cdkCalls).toHaveLength(0);
    expect(calls('CreateChangeSet')).toHaveLength(0);
    expect(calls('AddDomainRecord')).toHaveLength(0);

    // The user creates the record at their DNS provider.
    world.ros.cdn.txtLookup = (name) => (name === 'verification.test.com' ? [world.ros.cdn.verifyContent(DOMAIN)] : []);
    const second = await deploy(stage);
    expect(second.summary.error).toBeUndefined();
    expect(second.summary.ok).toBe(true);
  });
});

describe("Alibaba's review of a new domain", () => {
  test('while in review: only the domain is deployed, the run ends AWAITING_REVIEW (exit 3); after approval a re-run finishes', async () => {
    world.ros.cdn.review = { outcome: 'pending', readsInReview: 0 };
    const first = await deploy();
    expect(first.summary).toMatchObject({ ok: false, failedStep: 'cdn-review', code: 'AWAITING_REVIEW' });
    expect(exitCodeOf(first.summary.code!)).toBe(3);
    expect(first.summary.error).toContain("Waiting for Alibaba's review of test.test.com");
    expect(first.summary.error).toContain('run the same deploy again');
    expect(first.summary.sites).toMatchObject([{ site: 'test-test-com', cdnPhase: 'domain-only', cdnDomainStatus: 'checking' }]);
    // The domain alone: no configuration was attempted (no ServiceBusy), no certificate, no DNS record.
    expect(resourcesOfCdnStack()).toEqual(['Domain']);
    expect(world.ros.stackByName(CDN_STACK)?.parameters[CDN_STACK_PARAMETERS.cdnDomainOnline]).toBe('false');
    expect(world.ros.cdn.domains.get(DOMAIN)?.size).toBe(0);
    expect(first.lines.join('\n')).toContain("waiting for Alibaba's review of test.test.com");
    // What exists is recorded for the next run, diff and verify.
    expect(readDeployOutputs(outputsFilePath('example', world.dir)).sites['test-test-com']?.ros?.stackName).toBe(CDN_STACK);

    world.ros.cdn.approve(DOMAIN);
    const second = await deploy();
    expect(second.summary.error).toBeUndefined();
    expect(second.summary).toMatchObject({ ok: true, sites: [{ cdnPhase: 'configure', cdnDomainStatus: 'online' }] });
    expect(resourcesOfCdnStack()).toEqual(expect.arrayContaining(['BindCertificate', 'CnameRecord', 'HttpsConfig', 'OriginConfig']));
    expect(world.ros.cdn.argument(DOMAIN, 'aws_s3_bucket', 'enabled')).toBeDefined();
    expect(world.ros.stackByName(CDN_STACK)?.parameters[CDN_STACK_PARAMETERS.cdnDomainOnline]).toBe('true');
  });

  test('a review that passes within --review-wait is finished in the same run: domain first, then its configuration', async () => {
    const { summary } = await deploy();
    expect(summary).toMatchObject({ ok: true, sites: [{ rosCdn: 'created', cdnPhase: 'configure', cdnDomainStatus: 'online' }] });
    const executed = calls('ExecuteChangeSet').length;
    expect(executed).toBe(2);
    expect(world.ros.cdn.get(DOMAIN, 'set_req_host_header')).toBeDefined();
  });

  test('a rejected review (check_failed) stops with what to do, and is not reported as waiting', async () => {
    world.ros.cdn.review = { outcome: 'reject', readsInReview: 0 };
    const { summary } = await deploy();
    expect(summary).toMatchObject({ ok: false, failedStep: 'cdn-review', code: 'DEPLOY_FAILED' });
    expect(summary.error).toContain('Alibaba rejected the domain in review (check_failed)');
    expect(resourcesOfCdnStack()).toEqual(['Domain']);
  });

  test('a configured site whose domain is being configured is not changed until it is online, and is never taken back to the domain alone', async () => {
    expect((await deploy()).summary.ok).toBe(true);
    world.ros.cdn.status.set(DOMAIN, 'configuring');
    world.ros.cdn.held.add(DOMAIN);
    const changeSetsBefore = calls('CreateChangeSet').length;
    const stage = exampleStageWith((site) => (site.cdn = { ...site.cdn, hstsMaxAgeSeconds: 600 }));
    const deps = worldDependencies(stage);
    const summary = await deployStage(stage, deps, { projectDir: world.dir, yes: true, reviewWaitMs: 120_000 });
    expect(summary).toMatchObject({ ok: false, failedStep: 'cdn-review', code: 'AWAITING_REVIEW' });
    expect(summary.error).toContain('Nothing was changed on Alibaba Cloud');
    expect(calls('CreateChangeSet')).toHaveLength(changeSetsBefore);
    expect(resourcesOfCdnStack()).toContain('HttpsConfig');

    world.ros.cdn.held.delete(DOMAIN);
    const after = await deployStage(stage, worldDependencies(stage), { projectDir: world.dir, yes: true });
    expect(after.error).toBeUndefined();
    expect(world.ros.stackByName(CDN_STACK)?.parameters[CDN_STACK_PARAMETERS.cdnDomainOnline]).toBe('true');
  });
});

test("a site in review does not hold up the stage's other sites: they deploy, and the run ends waiting (exit 3)", async () => {
  // The new site first, so an early stop would leave the other one undeployed.
  const stage = twoSiteStage({ secondFirst: true });
  world.cas.add({
    id: 87654321,
    name: 'www',
    common: 'www.test.com',
    sans: ['www.test.com'],
    notAfter: new Date(Date.now() + 200 * 86_400_000),
  });
  world.ros.cdn.held.add('www.test.com');

  const summary = await deployStage(stage, worldDependencies(stage), { projectDir: world.dir, yes: true });
  expect(summary).toMatchObject({ ok: false, failedStep: 'cdn-review', code: 'AWAITING_REVIEW' });
  expect(summary.sites).toMatchObject([
    { domain: 'www.test.com', cdnPhase: 'domain-only', cdnDomainStatus: 'checking' },
    { domain: DOMAIN, rosCdn: 'created', cdnPhase: 'configure', cdnDomainStatus: 'online' },
  ]);
  expect(summary.error).toContain("Waiting for Alibaba's review of www.test.com");
  expect(summary.error).toContain("The stage's other 1 site(s) are deployed.");
  expect(world.ros.cdn.get(DOMAIN, 'set_req_host_header')).toBeDefined();
  expect(world.ros.cdn.domains.get('www.test.com')?.size).toBe(0);
});

test('the outputs file of a domain-only stack is valid JSON a later deploy reads', async () => {
  world.ros.cdn.review = { outcome: 'pending', readsInReview: 0 };
  await deploy();
  expect(() => JSON.parse(fs.readFileSync(outputsFilePath('example', world.dir), 'utf8'))).not.toThrow();
});
