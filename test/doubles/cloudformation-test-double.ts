/**
 * TEST DOUBLE: the few CloudFormation calls the stage inventory and `deploy --prune` make (ListStacks,
 * DescribeStacks, DeleteStack), one stateful region per SDK client, installed with aws-sdk-client-mock so the
 * official SDK's command path runs. Behaviour from the CloudFormation API Reference:
 * - ListStacks: "If no stack status filter is specified, summary information for all stacks is returned (including
 *   existing stacks and stacks that have been deleted)"; results come in pages linked by NextToken. Deleted stacks
 *   are kept here (DELETE_COMPLETE) so a caller that forgets the filter sees them, and pages are small (`pageSize`)
 *   so a caller that reads one page misses stacks.
 * - DescribeStacks by name: a deleted or unknown stack is a ValidationError "Stack with id X does not exist".
 * - DeleteStack only starts the deletion (DELETE_IN_PROGRESS for `deletePolls` DescribeStacks calls, then gone);
 *   deleting a stack that does not exist succeeds, so running it twice is harmless.
 * - Only the region the client was made for is listed: ListStacks is regional.
 */
import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListStacksCommand,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';

interface CfnStack {
  readonly stackName: string;
  readonly stackId: string;
  status: StackStatus;
  readonly outputs: Record<string, string>;
  pollsUntilDeleted?: number;
}

export class CloudFormationTestDouble {
  pageSize = 2;
  deletePolls = 2;
  readonly deleteCalls: string[] = [];
  private readonly regions = new Map<string, { client: CloudFormationClient; stacks: CfnStack[] }>();

  clientFor(region: string): CloudFormationClient {
    return this.region(region).client;
  }

  /** A stack as `cdk deploy` leaves it (CREATE_COMPLETE or UPDATE_COMPLETE). */
  put(region: string, stackName: string, outputs: Record<string, string> = {}): void {
    const { stacks } = this.region(region);
    const live = stacks.find((stack) => stack.stackName === stackName && stack.status !== 'DELETE_COMPLETE');
    if (live) {
      live.status = 'UPDATE_COMPLETE';
      Object.assign(live.outputs, outputs);
      return;
    }
    stacks.push({
      stackName,
      stackId: `arn:aws:cloudformation:${region}:111122223333:stack/${stackName}/${stacks.length}`,
      status: 'CREATE_COMPLETE',
      outputs,
    });
  }

  /** Live stack names of a region. */
  live(region: string): string[] {
    return this.region(region)
      .stacks.filter((stack) => stack.status !== 'DELETE_COMPLETE')
      .map((stack) => stack.stackName);
  }

  private region(region: string) {
    let state = this.regions.get(region);
    if (state) return state;
    const client = new CloudFormationClient({
      region,
      credentials: { accessKeyId: 'AKIATESTDOUBLE000000', secretAccessKey: 'x'.repeat(40) },
    });
    state = { client, stacks: [] };
    this.regions.set(region, state);
    const stacks = state.stacks;
    const find = (name: string | undefined) =>
      stacks.find((stack) => (stack.stackName === name || stack.stackId === name) && stack.status !== 'DELETE_COMPLETE');
    const notFound = (name: string | undefined) =>
      Object.assign(new Error(`Stack with id ${name} does not exist`), { name: 'ValidationError', $fault: 'client', $metadata: {} });
    const mock = mockClient(client);
    mock.on(ListStacksCommand).callsFake(({ StackStatusFilter, NextToken }) => {
      const matching = stacks.filter((stack) => !StackStatusFilter || StackStatusFilter.includes(stack.status));
      const start = NextToken ? Number(NextToken) : 0;
      const page = matching.slice(start, start + this.pageSize);
      return {
        StackSummaries: page.map((stack) => ({
          StackName: stack.stackName,
          StackId: stack.stackId,
          StackStatus: stack.status,
          CreationTime: new Date(0),
        })),
        NextToken: start + this.pageSize < matching.length ? String(start + this.pageSize) : undefined,
      };
    });
    mock.on(DescribeStacksCommand).callsFake(({ StackName }) => {
      const stack = find(StackName);
      if (!stack) throw notFound(StackName);
      if (stack.status === 'DELETE_IN_PROGRESS' && (stack.pollsUntilDeleted = (stack.pollsUntilDeleted ?? 0) - 1) <= 0) {
        stack.status = 'DELETE_COMPLETE';
        throw notFound(StackName);
      }
      return {
        Stacks: [
          {
            StackName: stack.stackName,
            StackId: stack.stackId,
            StackStatus: stack.status,
            CreationTime: new Date(0),
            Outputs: Object.entries(stack.outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
          },
        ],
      };
    });
    mock.on(DeleteStackCommand).callsFake(({ StackName }) => {
      this.deleteCalls.push(StackName!);
      const stack = find(StackName);
      if (stack && stack.status !== 'DELETE_IN_PROGRESS') {
        stack.status = 'DELETE_IN_PROGRESS';
        stack.pollsUntilDeleted = this.deletePolls;
      }
      return {};
    });
    return state;
  }
}
