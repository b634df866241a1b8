import type { RosChangePreview } from '../../../lib/deploy/ros/change-sets';
import { cdnTemplate, PARAMS } from './cdn-template-fixture';
import { type RosHarness, useRosHarness } from '../../doubles/ros-harness';

let h: RosHarness;
useRosHarness((harness) => (h = harness));

const yes = async () => true;

function deploy(stackName: string, template = cdnTemplate(), confirm: (preview: RosChangePreview) => Promise<boolean> = yes) {
  return h.deployment().deploy({ stackName, templateBody: template, parameters: PARAMS, confirm });
}

test('first deploy creates the stack through a CREATE change set, streams events and returns outputs', async () => {
  const previews: RosChangePreview[] = [];
  const res = await deploy('cdn-example', cdnTemplate(), async (preview) => {
    previews.push(preview);
    return true;
  });

  expect(res.action).toBe('created');
  expect(res.outputs).toEqual({ CdnCname: 'test.test.com.w.kunlunsl.com', ServiceDomain: 'test.test.com' });
  expect(h.ros.stackByName('cdn-example')?.status).toBe('CREATE_COMPLETE');
  expect(previews).toHaveLength(1);
  expect(previews[0]!.changeSetType).toBe('CREATE');
  expect(previews[0]!.changes.map((change) => `${change.action} ${change.logicalId}`)).toEqual([
    'Add CdnDomain',
    'Add CdnFunctions',
    'Add DnsRecord',
  ]);

  // Every resource reached CREATE_COMPLETE, in dependency order, and each event was reported once.
  const completes = h.events.filter((event) => !event.isStack && event.status === 'CREATE_COMPLETE').map((event) => event.logicalId);
  expect(completes).toEqual(['CdnDomain', 'CdnFunctions', 'DnsRecord']);
  expect(new Set(h.events.map((event) => event.eventId)).size).toBe(h.events.length);
  expect(h.logs).toContain('[3/3] CREATE_COMPLETE DnsRecord (ALIYUN::DNS::DomainRecord) state changed');
  expect(h.logs).toContain('[1/3] CREATE_COMPLETE CdnDomain (ALIYUN::CDN::Domain) state changed');
  expect(h.logs.some((line) => /CREATE_COMPLETE cdn-example \(ALIYUN::ROS::Stack\)/.test(line))).toBe(true);
  // The calls were signed with the configured key (the double rejects anything else).
  expect(new Set(h.server.calls.map((call) => call.accessKeyId))).toEqual(new Set(['LTAI-test-double-key']));
});

test('a second deploy with no changes exits as no-changes within a bounded number of API calls', async () => {
  await deploy('cdn-example');
  h.server.resetCalls();
  const res = await deploy('cdn-example');

  expect(res.action).toBe('no-changes');
  expect(res.outputs.CdnCname).toBe('test.test.com.w.kunlunsl.com');
  expect(res.apiCalls).toBe(h.server.callCount());
  // ListStacks, CreateChangeSet, GetChangeSet x2 (one while computing), GetTemplate, DeleteChangeSet, GetStack.
  expect(h.server.calls.map((call) => call.action)).toEqual([
    'ListStacks',
    'CreateChangeSet',
    'GetChangeSet',
    'GetChangeSet',
    'GetTemplate',
    'DeleteChangeSet',
    'GetStack',
  ]);
  expect(res.apiCalls).toBeLessThanOrEqual(8);
  expect(h.server.callCount('ExecuteChangeSet')).toBe(0);
  expect(h.ros.changeSetsOf('cdn-example').filter((changeSet) => changeSet.executionStatus === 'AVAILABLE')).toEqual([]);
});

test.each(['failed', 'error'] as const)('no-changes is recognised when ROS reports it as %s', async (mode) => {
  await deploy('cdn-example');
  h.ros.noChangeBehaviour = mode;
  const res = await deploy('cdn-example');
  expect(res.action).toBe('no-changes');
  expect(res.outputs.ServiceDomain).toBe('test.test.com');
  expect(h.server.callCount('ExecuteChangeSet')).toBe(1);
  expect(h.ros.changeSetsOf('cdn-example').filter((changeSet) => changeSet.status === 'CREATE_FAILED')).toEqual([]);
});

test('an update that changes a DomainConfig property is flagged as a replacement and applied with ReplacementOption=Enabled', async () => {
  await deploy('cdn-example');
  const previews: RosChangePreview[] = [];
  const res = await deploy('cdn-example', cdnTemplate({ hstsMaxAge: '31536000', dnsTtl: 300 }), async (preview) => {
    previews.push(preview);
    return true;
  });

  expect(res.action).toBe('updated');
  const [p] = previews;
  expect(p!.changeSetType).toBe('UPDATE');
  expect(p!.changes).toEqual([
    {
      action: 'Modify',
      logicalId: 'CdnFunctions',
      resourceType: 'ALIYUN::CDN::DomainConfig',
      replacement: 'True',
      properties: ['FunctionList'],
    },
    { action: 'Modify', logicalId: 'DnsRecord', resourceType: 'ALIYUN::DNS::DomainRecord', replacement: 'False', properties: ['TTL'] },
  ]);
  expect(p!.text).toMatch(/~ Modify CdnFunctions +ALIYUN::CDN::DomainConfig +REPLACE \(delete and re-create\) +\[FunctionList\]/);
  expect(p!.text).toContain('1 replacement(s)');
  const create = h.server.calls.filter((call) => call.action === 'CreateChangeSet').pop()!;
  expect(create.params.ReplacementOption).toBe('Enabled');
  expect(create.params.ChangeSetType).toBe('UPDATE');
  expect(h.ros.stackByName('cdn-example')?.status).toBe('UPDATE_COMPLETE');
  expect(h.logs).toContain('[2/2] UPDATE_COMPLETE DnsRecord (ALIYUN::DNS::DomainRecord) state changed');
});

test('timeoutInMinutes and tags reach the change set', async () => {
  await h.deployment().deploy({
    stackName: 'cdn-tags',
    templateBody: cdnTemplate(),
    parameters: PARAMS,
    confirm: yes,
    timeoutInMinutes: 30,
    tags: { project: 's3-alicdn', stage: 'example' },
  });
  expect(h.server.calls.find((call) => call.action === 'CreateChangeSet')!.params).toMatchObject({
    TimeoutInMinutes: '30',
    'Tags.1.Key': 'project',
    'Tags.1.Value': 's3-alicdn',
    'Tags.2.Key': 'stage',
    'Tags.2.Value': 'example',
  });
});

test('a template-only change (description) is executed, not skipped', async () => {
  await deploy('cdn-example');
  const previews: RosChangePreview[] = [];
  const res = await deploy('cdn-example', cdnTemplate({ description: 'new words' }), async (preview) => {
    previews.push(preview);
    return true;
  });
  expect(res.action).toBe('updated');
  expect(previews[0]!.templateOnly).toBe(true);
  expect(previews[0]!.text).toContain('no resource changes');
});

test('a declined confirmation deletes the change set and changes nothing', async () => {
  await deploy('cdn-example');
  const res = await deploy('cdn-example', cdnTemplate({ extraRecord: true }), async () => false);
  expect(res.action).toBe('cancelled');
  expect(res.changes.map((change) => `${change.action} ${change.logicalId}`)).toEqual(['Add WwwRecord']);
  expect(h.server.callCount('ExecuteChangeSet')).toBe(1);
  expect(h.ros.changeSetsOf('cdn-example').filter((changeSet) => changeSet.executionStatus === 'AVAILABLE')).toEqual([]);
  expect(h.ros.stackByName('cdn-example')?.resources.has('WwwRecord')).toBe(false);
});

test('declining a first create leaves no REVIEW_IN_PROGRESS stack behind', async () => {
  const res = await deploy('cdn-new', cdnTemplate(), async () => false);
  expect(res).toMatchObject({ action: 'cancelled', stackId: undefined, outputs: {} });
  expect(h.ros.stackByName('cdn-new')).toBeUndefined();
});

test('events are streamed exactly once and in order even when more than a page (50) arrive between polls', async () => {
  const base = JSON.parse(cdnTemplate());
  for (let i = 0; i < 40; i++) {
    base.Resources[`Record${i}`] = {
      Type: 'ALIYUN::DNS::DomainRecord',
      Properties: { DomainName: 'test.com', RR: `r${i}`, Type: 'A', Value: '192.0.2.1' },
    };
  }
  h.ros.stepsPerPoll = 1000;
  const res = await deploy('cdn-many', JSON.stringify(base));
  expect(res.action).toBe('created');
  const stackEvents = h.ros.stackByName('cdn-many')!.events;
  expect(stackEvents.length).toBeGreaterThan(80);
  expect(h.events.map((event) => event.eventId)).toEqual(stackEvents.map((event) => event.EventId));
  expect(h.logs).toContain('[43/43] CREATE_COMPLETE cdn-many (ALIYUN::ROS::Stack) Stack CREATE completed successfully');
  const pages = h.server.calls.filter((call) => call.action === 'ListStackEvents').map((call) => call.params.PageNumber);
  expect(pages).toContain('2');
});
