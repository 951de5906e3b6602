import { DEFAULT_ENVIRONMENT } from '@platform/config';
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/**
 * Where an app's synth output for one environment lives: `dist/<env>/<app>`, so prod and staging
 * never share a folder and `cdktf deploy --skip-synth` cannot pick up the other environment.
 * The app's cdktf.json names the default environment's (prod's) folder (what a bare `cdktf` run in the app
 * folder uses); every other environment is its sibling.
 */
export function appOutputDir(appDir: string, environment: string): string {
  const cdktfJsonPath = resolve(appDir, 'cdktf.json');
  const output = (JSON.parse(readFileSync(cdktfJsonPath, 'utf8')) as { output?: string }).output;
  if (!output || basename(dirname(output)) !== DEFAULT_ENVIRONMENT) {
    throw new Error(
      `${cdktfJsonPath}: output = ${JSON.stringify(output)}; fix: set it to the ${DEFAULT_ENVIRONMENT} folder of the app, ../../dist/${DEFAULT_ENVIRONMENT}/${basename(resolve(appDir))}`,
    );
  }
  return resolve(appDir, dirname(dirname(output)), environment, basename(output));
}
