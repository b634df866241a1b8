import { assertStageName } from '../config/stage-name';
import { outputsFilePath, readDeployOutputs } from '../deploy/deploy-outputs-file';

export interface OutputsCommandOptions {
  readonly stage: string;
  readonly json?: boolean;
}

/** `outputs`: prints the last deploy's outputs of both clouds (never a secret: the file holds none). */
export function runOutputs(
  options: OutputsCommandOptions,
  projectDir = process.cwd(),
  print: (text: string) => void = console.log,
): number {
  const outputs = readDeployOutputs(outputsFilePath(assertStageName(options.stage), projectDir));
  if (options.json) {
    print(JSON.stringify(outputs, null, 2));
    return 0;
  }
  print(`Stage "${outputs.stage}", last deploy ${outputs.updatedAt}`);
  for (const [siteId, site] of Object.entries(outputs.sites)) {
    print(`\n${site.domain} (${siteId})`);
    for (const [key, value] of Object.entries(site.aws.outputs)) print(`  aws  ${site.aws.stackName}.${key} = ${value}`);
    for (const [key, value] of Object.entries(site.ros?.outputs ?? {})) print(`  ros  ${site.ros!.stackName}.${key} = ${value}`);
    if (site.dns) print(`  dns  ${site.dns.name} CNAME ${site.dns.cnameTarget} (${site.dns.provider})`);
  }
  return 0;
}
