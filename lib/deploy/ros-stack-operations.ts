/**
 * What the stage commands need from the Alibaba ROS side. `alibaba/ros-operations.ts` implements it with the official
 * ROS SDK; tests drive that implementation against the ROS API test double.
 */
export interface RosDeployRequest {
  readonly stackName: string;
  readonly templateBody: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** Parameter keys whose values must never be printed. */
  readonly noEchoParameterKeys: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  /** Shown the change preview; resolves true to execute. */
  readonly confirm: (previewText: string) => Promise<boolean>;
  readonly onEvent: (line: string) => void;
  readonly log: (line: string) => void;
}

export interface RosDeployResult {
  readonly action: 'created' | 'updated' | 'no-changes' | 'cancelled';
  readonly stackId?: string;
  readonly outputs: Readonly<Record<string, string>>;
  /** ROS API requests made, for the report. */
  readonly apiCalls?: number;
}

export interface RosPreviewResult {
  readonly text: string;
  readonly hasChanges: boolean;
  readonly destructive: boolean;
}

export interface RosStackOperations {
  deploy(request: RosDeployRequest): Promise<RosDeployResult>;
  preview(request: Omit<RosDeployRequest, 'confirm' | 'onEvent'>): Promise<RosPreviewResult>;
  destroy(request: { stackName: string; onEvent: (line: string) => void; log: (line: string) => void }): Promise<{ deleted: boolean }>;
  outputs(stackName: string): Promise<Readonly<Record<string, string>> | undefined>;
}
