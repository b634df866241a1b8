#!/usr/bin/env node
// Entry point for `cdk synth|diff|deploy` (see cdk.json). Builds the AWS origin app for one stage.
import { buildAwsApp } from '../lib/aws/aws-app';
import { loadStageOrExit, stageFromEnvironment } from '../lib/cli/app-entry';

const stage = loadStageOrExit(stageFromEnvironment());
buildAwsApp(stage, { outdir: process.env.CDK_OUTDIR ?? 'cdk.out', account: process.env.CDK_DEFAULT_ACCOUNT }).synth();
