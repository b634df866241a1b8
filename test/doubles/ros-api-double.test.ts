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
beforeEach(async () => {
  server = new AlibabaRpcServerTestDouble();
  new RosApiTestDouble(server);
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
