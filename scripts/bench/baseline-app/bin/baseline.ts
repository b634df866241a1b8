#!/usr/bin/env node
// The bench's baseline: a one-bucket app laid out as `cdk init app --language typescript` lays it out, with the
// same validation as this project's AWS app (cdk-nag's AwsSolutions pack and strict CloudFormation validation).
import * as cdk from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BaselineStack } from '../lib/baseline-stack';

const app = new cdk.App();
new BaselineStack(app, 'BaselineStack');
cdk.Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
