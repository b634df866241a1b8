/**
 * The ROS API test double on its own, through the official SDK: the calls the deployer does not make itself but the
 * double offers (CreateStack, UpdateStack, GetTemplate, ListStackResources), and the documented behaviours.
 */
import Credential from '@alicloud/credentials';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import RosClient, * as $ROS from '@alicloud/ros20190910';
import { AlibabaRpcServerTestDouble } from './alibaba-rpc-server';
import { RosApiTestDouble } from './ros-api-double';

const region = 'cn-hangzhou';
const template = (ttl: number) =>
  JSON.stringify({
    ROSTemplateFormatVersion: '2015-09-01',
    Parameters: { Zone: { Type: 'String', Default: 'test.com' }, Secret: { Type: 'String', NoEcho: true } },
    Resources: {
      Cdn: { Type: 'ALIYUN::CDN::Domain', Properties: { DomainName: 'cdn.test.com', CdnType: 'web' } },
      Record: {
        Type: 'ALIYUN::DNS::DomainRecord',
        Properties: { DomainName: { Ref: 'Zone' }, RR: 'cdn', Type: 'CNAME', Value: { 'Fn::GetAtt': ['Cdn', 'Cname'] }, TTL: ttl },
      },
    },
    Outputs: {
      Cname: { Value: { 'Fn::GetAtt': ['Cdn', 'Cname'] } },
      Url: { Value: { 'Fn::Sub': 'https://${Cdn.DomainName}/' } },
      Echo: { Value: { Ref: 'Secret' } },
    },
  });
const params = [new $ROS.CreateStackRequestParameters({ parameterKey: 'Secret', parameterValue: 'hidden-value' })];

let server: AlibabaRpcServerTestDouble;
let client: RosClient;
let ros: RosApiTestDouble;
beforeEach(async () => {
  server = new AlibabaRpcServerTestDouble();
  ros = new RosApiTestDouble(server);
  // About ROS itself: the account is past the CDN's first-time ownership check and review (test/doubles/cdn-domain-life.test.ts).
  ros.cdn.pastFirstTimeSetup();
  await server.start();
  client = new RosClient(
    new $OpenApiUtil.Config({
      credential: new Credential({ type: 'access_key', accessKeyId: 'ak', accessKeySecret: 'sk' } as never),
      regionId: region,
      endpoint: server.endpoint,
      protocol: 'HTTP',
    }),
  );
});
afterEach(async () => {
  await server.close();
});

async function settle(stackId: string) {
  for (let i = 0; i < 50; i++) {
    const s = (await client.getStack(new $ROS.GetStackRequest({ regionId: region, stackId }))).body!;
    if (!s.status!.endsWith('_IN_PROGRESS')) return s;
  }
  throw new Error('stack did not settle');
}

test('CreateStack runs to CREATE_COMPLETE with outputs resolved and NoEcho values masked', async () => {
  const { body } = await client.createStack(
    new $ROS.CreateStackRequest({ regionId: region, stackName: 'direct', templateBody: template(600), parameters: params }),
  );
  const stack = await settle(body!.stackId!);
  expect(stack.status).toBe('CREATE_COMPLETE');
  expect(stack.outputs).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ OutputKey: 'Cname', OutputValue: 'cdn.test.com.w.kunlunsl.com' }),
      expect.objectContaining({ OutputKey: 'Url', OutputValue: 'https://cdn.test.com/' }),
      expect.objectContaining({ OutputKey: 'Echo', OutputValue: '****' }),
    ]),
  );
  expect(stack.parameters).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ parameterKey: 'Secret', parameterValue: '****' }),
      expect.objectContaining({ parameterKey: 'Zone', parameterValue: 'test.com' }),
    ]),
  );
  const resources = (await client.listStackResources(new $ROS.ListStackResourcesRequest({ regionId: region, stackId: stack.stackId })))
    .body!.resources!;
  expect(resources.map((resource) => [resource.logicalResourceId, resource.physicalResourceId, resource.status])).toEqual([
    ['Cdn', 'cdn.test.com', 'CREATE_COMPLETE'],
    ['Record', expect.stringMatching(/^\d+$/), 'CREATE_COMPLETE'],
  ]);
  const tpl = (await client.getTemplate(new $ROS.GetTemplateRequest({ regionId: region, stackId: stack.stackId }))).body!;
  expect(tpl.templateBody).toBe(template(600));
  await expect(
    client.createStack(
      new $ROS.CreateStackRequest({ regionId: region, stackName: 'direct', templateBody: template(600), parameters: params }),
    ),
  ).rejects.toMatchObject({ code: 'StackExists', statusCode: 409 });
});

test('UpdateStack with nothing to change answers NotSupported, as ROS documents; a real change goes through', async () => {
  const { body } = await client.createStack(
    new $ROS.CreateStackRequest({ regionId: region, stackName: 'direct', templateBody: template(600), parameters: params }),
  );
  await settle(body!.stackId!);
  const update = (ttl: number) =>
    client.updateStack(
      new $ROS.UpdateStackRequest({
        regionId: region,
        stackId: body!.stackId,
        templateBody: template(ttl),
        parameters: [new $ROS.UpdateStackRequestParameters({ parameterKey: 'Secret', parameterValue: 'hidden-value' })],
      }),
    );
  await expect(update(600)).rejects.toMatchObject({
    code: 'NotSupported',
    message: expect.stringContaining('Update the completely same stack direct is not supported'),
  });
  await update(300);
  expect((await settle(body!.stackId!)).status).toBe('UPDATE_COMPLETE');
});

test('change sets compute Add/Modify/Remove with Replacement from the non-editable property rules', async () => {
  const { body } = await client.createStack(
    new $ROS.CreateStackRequest({ regionId: region, stackName: 'direct', templateBody: template(600), parameters: params }),
  );
  await settle(body!.stackId!);
  const next = JSON.parse(template(300));
  next.Resources.Cdn.Properties.Scope = 'overseas';
  delete next.Resources.Record;
  next.Outputs = {};
  const cs = await client.createChangeSet(
    new $ROS.CreateChangeSetRequest({
      regionId: region,
      stackId: body!.stackId,
      changeSetName: 'cs1',
      changeSetType: 'UPDATE',
      templateBody: JSON.stringify(next),
      parameters: [new $ROS.CreateChangeSetRequestParameters({ parameterKey: 'Secret', parameterValue: 'hidden-value' })],
    }),
  );
  const read = () => client.getChangeSet(new $ROS.GetChangeSetRequest({ regionId: region, changeSetId: cs.body!.changeSetId }));
  expect((await read()).body).toMatchObject({ status: 'CREATE_IN_PROGRESS', executionStatus: 'UNAVAILABLE', changes: [] });
  // Scope of a CDN domain is not editable, and ReplacementOption was not Enabled.
  expect((await read()).body).toMatchObject({ status: 'CREATE_FAILED', statusReason: expect.stringContaining('ReplacementOption') });
  const enabled = await client.createChangeSet(
    new $ROS.CreateChangeSetRequest({
      regionId: region,
      stackId: body!.stackId,
      changeSetName: 'cs2',
      changeSetType: 'UPDATE',
      templateBody: JSON.stringify(next),
      replacementOption: 'Enabled',
      parameters: [new $ROS.CreateChangeSetRequestParameters({ parameterKey: 'Secret', parameterValue: 'hidden-value' })],
    }),
  );
  const ready = (await client.getChangeSet(new $ROS.GetChangeSetRequest({ regionId: region, changeSetId: enabled.body!.changeSetId })))
    .body!;
  expect(ready).toMatchObject({ status: 'CREATE_IN_PROGRESS' });
  const done = (await client.getChangeSet(new $ROS.GetChangeSetRequest({ regionId: region, changeSetId: enabled.body!.changeSetId })))
    .body!;
  expect(done.changes).toEqual([
    {
      Type: 'Resource',
      ResourceChange: expect.objectContaining({
        Action: 'Modify',
        LogicalResourceId: 'Cdn',
        Replacement: 'True',
        Details: [expect.objectContaining({ Target: { Attribute: 'Properties', Name: 'Scope', RequiresRecreation: 'Always' } })],
      }),
    },
    {
      Type: 'Resource',
      ResourceChange: expect.objectContaining({ Action: 'Remove', LogicalResourceId: 'Record', ResourceType: 'ALIYUN::DNS::DomainRecord' }),
    },
  ]);
  await expect(client.deleteChangeSet(new $ROS.DeleteChangeSetRequest({ regionId: region, changeSetId: 'nope' }))).rejects.toMatchObject({
    code: 'ChangeSetNotFound',
    statusCode: 404,
  });
});

test('ListStacks filters by name and hides deleted stacks; ListStackEvents pages newest first', async () => {
  const { body } = await client.createStack(
    new $ROS.CreateStackRequest({ regionId: region, stackName: 'direct', templateBody: template(600), parameters: params }),
  );
  await settle(body!.stackId!);
  const list = async (name: string) =>
    (await client.listStacks(new $ROS.ListStacksRequest({ regionId: region, stackName: [name] }))).body!.stacks!.map(
      (stack) => stack.stackName,
    );
  expect(await list('direct')).toEqual(['direct']);
  expect(await list('other')).toEqual([]);
  const page = (pageNumber: number) =>
    client.listStackEvents(new $ROS.ListStackEventsRequest({ regionId: region, stackId: body!.stackId, pageNumber, pageSize: 3 }));
  const first = (await page(1)).body!;
  expect(first.totalCount).toBe(6);
  expect(first.events!.map((event) => event.status)).toEqual(['CREATE_COMPLETE', 'CREATE_COMPLETE', 'CREATE_IN_PROGRESS']);
  expect(first.events![0]!.createTime! > (await page(2)).body!.events![0]!.createTime!).toBe(true);
  await client.deleteStack(new $ROS.DeleteStackRequest({ regionId: region, stackId: body!.stackId }));
  expect((await settle(body!.stackId!)).status).toBe('DELETE_COMPLETE');
  expect(await list('direct')).toEqual([]);
});

// ---- the unkind parts, each as the ROS docs describe it ----

const secret = (value: string) => [new $ROS.CreateChangeSetRequestParameters({ parameterKey: 'Secret', parameterValue: value })];

async function createdStack(name = 'strict'): Promise<string> {
  const { body } = await client.createStack(
    new $ROS.CreateStackRequest({ regionId: region, stackName: name, templateBody: template(600), parameters: params }),
  );
  await settle(body!.stackId!);
  return body!.stackId!;
}

async function changeSet(stackId: string, name: string, ttl = 300, value = 'hidden-value', clientToken?: string) {
  const { body } = await client.createChangeSet(
    new $ROS.CreateChangeSetRequest({
      regionId: region,
      stackId,
      changeSetName: name,
      changeSetType: 'UPDATE',
      templateBody: template(ttl),
      parameters: secret(value),
      clientToken,
    }),
  );
  return body!.changeSetId!;
}

async function ready(changeSetId: string) {
  for (let i = 0; i < 10; i++) {
    const body = (await client.getChangeSet(new $ROS.GetChangeSetRequest({ regionId: region, changeSetId }))).body!;
    if (body.status !== 'CREATE_IN_PROGRESS') return body;
  }
  throw new Error('change set not ready');
}

const getStack = async (stackId: string) => (await client.getStack(new $ROS.GetStackRequest({ regionId: region, stackId }))).body!;

test('ExecuteChangeSet only starts the update: the next GetStack still shows the status from before', async () => {
  const stackId = await createdStack();
  const id = await changeSet(stackId, 'cs1');
  await ready(id);
  ros.executeStartsAfterPolls = 2;
  await client.executeChangeSet(new $ROS.ExecuteChangeSetRequest({ regionId: region, changeSetId: id }));
  expect((await getStack(stackId)).status).toBe('CREATE_COMPLETE');
  expect((await getStack(stackId)).status).toBe('CREATE_COMPLETE');
  expect((await getStack(stackId)).status).toBe('UPDATE_IN_PROGRESS');
  expect((await settle(stackId)).status).toBe('UPDATE_COMPLETE');
});

test('while an execution is pending or running, another is refused with ActionInProgress (409)', async () => {
  const stackId = await createdStack();
  const id = await changeSet(stackId, 'cs1');
  await ready(id);
  await client.executeChangeSet(new $ROS.ExecuteChangeSetRequest({ regionId: region, changeSetId: id }));
  await expect(
    client.updateStack(new $ROS.UpdateStackRequest({ regionId: region, stackId, templateBody: template(100), parameters: params })),
  ).rejects.toMatchObject({ code: 'ActionInProgress', statusCode: 409 });
});

test('executing a change set deletes the stack\'s other change sets (guide "Execute a change set")', async () => {
  const stackId = await createdStack();
  const first = await changeSet(stackId, 'cs1', 300);
  const second = await changeSet(stackId, 'cs2', 200);
  await ready(first);
  await ready(second);
  await client.executeChangeSet(new $ROS.ExecuteChangeSetRequest({ regionId: region, changeSetId: first }));
  expect(ros.changeSetsOf('strict').map((item) => item.changeSetName)).toEqual(['cs1']);
  await expect(client.getChangeSet(new $ROS.GetChangeSetRequest({ regionId: region, changeSetId: second }))).rejects.toMatchObject({
    code: 'ChangeSetNotFound',
  });
});

test('a taken change set name is ChangeSetExists (409); a 21st change set on one stack is refused', async () => {
  const stackId = await createdStack();
  await changeSet(stackId, 'cs0', 300);
  await expect(changeSet(stackId, 'cs0', 300)).rejects.toMatchObject({ code: 'ChangeSetExists', statusCode: 409 });
  for (let i = 1; i < 20; i++) await changeSet(stackId, `cs${i}`, 300 + i);
  await expect(changeSet(stackId, 'cs20', 999)).rejects.toMatchObject({ code: 'ChangeSetLimitExceeded' });
});

test('a repeated ClientToken still being processed answers LastTokenProcessing, then the first answer', async () => {
  const stackId = await createdStack();
  const id = await changeSet(stackId, 'cs1', 300, 'hidden-value', 'token-1');
  ros.tokenProcessingRepeats = 1;
  await expect(changeSet(stackId, 'cs1', 300, 'hidden-value', 'token-1')).rejects.toMatchObject({ code: 'LastTokenProcessing' });
  expect(await changeSet(stackId, 'cs1', 300, 'hidden-value', 'token-1')).toBe(id);
});

test.each([
  ['CHECK_COMPLETE', 'refused'],
  ['IMPORT_UPDATE_FAILED', 'accepted'],
  ['UPDATE_FAILED', 'accepted'],
  ['DELETE_FAILED', 'refused'],
] as const)('a stack in %s: an UPDATE change set is %s (change-set guide, Limits)', async (status, verdict) => {
  const stackId = await createdStack();
  ros.forceStatus('strict', status);
  const attempt = changeSet(stackId, 'cs1');
  if (verdict === 'accepted') await expect(attempt).resolves.toEqual(expect.any(String));
  else await expect(attempt).rejects.toMatchObject({ code: 'StackValidationFailed' });
});

describe('a change of NoEcho parameter values only', () => {
  test("'empty' (default): no Changes listed, yet executing applies the new value", async () => {
    const stackId = await createdStack();
    const id = await changeSet(stackId, 'cs1', 600, 'rotated-value');
    const body = await ready(id);
    expect(body).toMatchObject({ status: 'CREATE_COMPLETE', executionStatus: 'AVAILABLE', changes: [] });
    ros.executeStartsAfterPolls = 0;
    await client.executeChangeSet(new $ROS.ExecuteChangeSetRequest({ regionId: region, changeSetId: id }));
    expect((await settle(stackId)).status).toBe('UPDATE_COMPLETE');
    expect(ros.stackByName('strict')?.parameters.Secret).toBe('rotated-value');
  });

  test("'same-stack': reported as no change at all, the value can never land through a change set", async () => {
    ros.noEchoOnlyChange = 'same-stack';
    ros.noChangeBehaviour = 'failed';
    const stackId = await createdStack();
    const body = await ready(await changeSet(stackId, 'cs1', 600, 'rotated-value'));
    expect(body).toMatchObject({ status: 'CREATE_FAILED', statusReason: expect.stringContaining('completely same stack') });
  });
});

test('ListStackEvents: several events in one second, any order, PageSize at most 50', async () => {
  ros.eventsPerSecond = 4;
  ros.eventOrder = 'oldest-first';
  const stackId = await createdStack();
  const list = async (pageSize: number) =>
    (await client.listStackEvents(new $ROS.ListStackEventsRequest({ regionId: region, stackId, pageSize }))).body!.events!;
  const events = await list(50);
  expect(events[0]!.status).toBe('CREATE_IN_PROGRESS');
  expect(new Set(events.map((event) => event.createTime)).size).toBeLessThan(events.length);
  await expect(list(51)).rejects.toMatchObject({ code: 'InvalidParameter' });
});

test('a parameter value outside its AllowedValues is refused (StackValidationFailed); UpdateStack of a rolled-back create too', async () => {
  const template = JSON.stringify({
    ROSTemplateFormatVersion: '2015-09-01',
    Parameters: { Online: { Type: 'String', Default: 'true', AllowedValues: ['true', 'false'] } },
    Resources: {},
  });
  await expect(
    client.createStack(
      new $ROS.CreateStackRequest({
        regionId: region,
        stackName: 'allowed',
        templateBody: template,
        parameters: [new $ROS.CreateStackRequestParameters({ parameterKey: 'Online', parameterValue: 'yes' })],
      }),
    ),
  ).rejects.toMatchObject({ code: 'StackValidationFailed' });
  ros.cdn.allRootsVerified = false;
  const failing = JSON.stringify({
    ROSTemplateFormatVersion: '2015-09-01',
    Resources: { Domain: { Type: 'ALIYUN::CDN::Domain', Properties: { DomainName: 'new.unverified.com' } } },
  });
  const { body } = await client.createStack(
    new $ROS.CreateStackRequest({ regionId: region, stackName: 'unverified', templateBody: failing }),
  );
  const stack = await settle(body!.stackId!);
  expect(stack).toMatchObject({ status: 'CREATE_ROLLBACK_COMPLETE', statusReason: expect.stringContaining('DomainOwnerVerifyFail') });
  await expect(
    client.updateStack(new $ROS.UpdateStackRequest({ regionId: region, stackId: body!.stackId, templateBody: failing })),
  ).rejects.toMatchObject({ code: 'StackValidationFailed' });
});
