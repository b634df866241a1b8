// The ROS resource types this project declares itself (the registry does not serve @alicloud/ros-cdk-cdn).
// Import them only from here, so replacing them with the official package is a change to this one file.
export * from './cdn-domain';
export * from './cdn-domain-config';
export * from './cas-certificate';
export * from './oos-execution';
export { RosPropertyError } from './property-checks';
