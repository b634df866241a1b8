import * as ros from '@alicloud/ros-cdk-core';

/**
 * Property checks shared by the hand-declared ROS resource types. A value that is still a token (a Ref, a GetAtt,
 * a parameter) is only known at deploy time, so it is not checked here; ROS checks it then.
 */
export class RosPropertyError extends Error {
  constructor(resourceType: string, property: string, message: string) {
    super(`${resourceType}.${property}: ${message}`);
    this.name = 'RosPropertyError';
  }
}

export function isToken(value: unknown): boolean {
  return ros.Token.isUnresolved(value);
}

export function requireValue(resourceType: string, property: string, value: unknown): void {
  if (value === undefined || value === null || value === '') {
    throw new RosPropertyError(resourceType, property, 'is required');
  }
}

export function requireOneOf(resourceType: string, property: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined || isToken(value)) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new RosPropertyError(resourceType, property, `${JSON.stringify(value)} is not one of: ${allowed.join(', ')}`);
  }
}

export function requireString(resourceType: string, property: string, value: unknown): void {
  if (value === undefined || isToken(value)) return;
  if (typeof value !== 'string') {
    throw new RosPropertyError(resourceType, property, `must be a string, got ${JSON.stringify(value)}`);
  }
}
