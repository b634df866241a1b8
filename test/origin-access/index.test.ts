import { ORIGIN_ACCESS_MODES } from '../../lib/config/schema';
import { S3AlicdnError, exitCodeFor } from '../../lib/errors';
import {
  allOriginAccessModes,
  modesRotating,
  ORIGIN_ACCESS,
  OriginAccessError,
  originAccessFor,
  originAccessMode,
  ROTATION_TARGETS,
  secretHeaderNames,
} from '../../lib/origin-access';
import { exampleStageWith } from '../helpers/stage-fixtures';

describe('the origin-access registry', () => {
  test('every configurable mode has a module, under its own name', () => {
    expect(allOriginAccessModes().map((mode) => mode.name)).toEqual([...ORIGIN_ACCESS_MODES]);
    for (const name of ORIGIN_ACCESS_MODES) expect(ORIGIN_ACCESS[name].name).toBe(name);
  });

  test("a site's mode is the configured one, signed by default", () => {
    expect(originAccessFor(exampleStageWith().sites[0]).name).toBe('signed');
    expect(originAccessFor(exampleStageWith((site) => (site.originAccess = { mode: 'referer' })).sites[0]).name).toBe('referer');
  });

  test('an unknown name is a configuration error that names the allowed ones', () => {
    const lookup = () => originAccessMode('public');
    expect(lookup).toThrow(OriginAccessError);
    expect(lookup).toThrow('origin-access mode "public" is not known; use one of signed, referer-secret, referer');
    let caught: unknown;
    try {
      lookup();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(S3AlicdnError);
    expect(exitCodeFor(caught)).toBe(2);
    expect(() => originAccessMode('toString')).toThrow(OriginAccessError);
  });

  test('each rotation target belongs to exactly one mode', () => {
    for (const target of ROTATION_TARGETS) expect(modesRotating(target)).toHaveLength(1);
    expect(modesRotating('reader-key').map((mode) => mode.name)).toEqual(['signed']);
    expect(modesRotating('referer-secret').map((mode) => mode.name)).toEqual(['referer-secret']);
  });

  test('the secret-carrying headers are gathered from the modes', () => {
    expect(secretHeaderNames()).toEqual(['referer']);
  });

  test("a mode's NoEcho ROS parameters and its origin outputs do not clash with another mode's", () => {
    const parameters = allOriginAccessModes().flatMap((mode) => mode.rosSecretParameters.map((parameter) => parameter.name));
    const outputs = allOriginAccessModes().flatMap((mode) => mode.originOutputs.map((output) => output.key));
    expect(new Set(parameters).size).toBe(parameters.length);
    expect(new Set(outputs).size).toBe(outputs.length);
  });
});
