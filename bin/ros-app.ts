#!/usr/bin/env node
// Entry point of the ROS app (see ros.json). Builds the Alibaba CDN app for one stage into ros.json's output folder.
import { loadStageOrExit, stageFromEnvironment } from '../lib/cli/app-entry';
import { buildRosApp } from '../lib/ros/ros-app';
import { readRosProjectFile } from '../lib/synth/ros-project-file';

const project = readRosProjectFile();
const stageName = stageFromEnvironment(process.env, project.context);
buildRosApp(loadStageOrExit(stageName), process.env.CDK_OUTDIR ?? project.output).synth();
