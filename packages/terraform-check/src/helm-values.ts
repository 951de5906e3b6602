import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { TerraformJson } from './synth-output';
import { offlineTerraformEnv } from './terraform-workdir';
import type { Toolchain } from './toolchain';

/** What a remote-state reference is replaced with, so the expression evaluates without state. */
export const REMOTE_STATE_PLACEHOLDER = 'remote-state-value';

/**
 * Each helm_release's `values` as an output of an otherwise empty root module, remote-state
 * references replaced by a string: Terraform can then evaluate the expressions with no provider,
 * backend or credentials. Platform stacks need the kubernetes and helm providers, which the local
 * mirror does not hold, so this is the only way their values ever meet Terraform's parser offline.
 */
export function helmValuesProbe(stacks: Readonly<Record<string, TerraformJson>>): { output: Record<string, { value: string }> } {
  const output: Record<string, { value: string }> = {};
  for (const [stack, json] of Object.entries(stacks)) {
    const releases = (json.resource?.['helm_release'] ?? {}) as Record<string, { values?: string[] }>;
    for (const [id, release] of Object.entries(releases))
      (release.values ?? []).forEach((expression, i) => {
        output[`${stack}--${id}--${i}`] = {
          value: expression.replace(
            /data\.terraform_remote_state\.[A-Za-z0-9_-]+\.outputs\.[A-Za-z0-9_]+(\.[A-Za-z0-9_-]+|\["[^"]*"\])*/g,
            `"${REMOTE_STATE_PLACEHOLDER}"`,
          ),
        };
      });
  }
  return { output };
}

export type EvaluatedValues = Record<string, Record<string, unknown[]>>;

/**
 * Evaluates every helm_release's values with the real terraform (`apply` of the probe, nothing but
 * outputs) and parses the YAML each produces: stack -> release id -> one document per values entry.
 * Throws with terraform's own diagnostics when an expression does not parse or evaluate.
 */
export function evaluateHelmValues(toolchain: Toolchain, stacks: Readonly<Record<string, TerraformJson>>): EvaluatedValues {
  const dir = mkdtempSync(join(tmpdir(), 'helm-values-'));
  try {
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(helmValuesProbe(stacks)));
    const env = offlineTerraformEnv('/dev/null');
    const run = (args: string[]) => spawnSync(toolchain.terraform, args, { cwd: dir, encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });
    for (const args of [
      ['init', '-backend=false', '-input=false', '-no-color'],
      ['apply', '-auto-approve', '-input=false', '-no-color'],
    ]) {
      const result = run(args);
      // Terraform quotes the whole one-line file in each diagnostic: keep the summaries and the attribute names.
      const diagnostics = (result.stderr || result.stdout).split('\n').map((line) => (line.length > 300 ? `${line.slice(0, 300)}...` : line));
      if (result.status !== 0) throw new Error(`terraform ${args[0]} of the helm values failed:\n${diagnostics.join('\n')}`);
    }
    const outputs = JSON.parse(run(['output', '-json']).stdout) as Record<string, { value: string }>;
    const evaluated: EvaluatedValues = {};
    for (const [name, { value }] of Object.entries(outputs)) {
      const [stack, id, index] = name.split('--') as [string, string, string];
      ((evaluated[stack] ??= {})[id] ??= [])[Number(index)] = parse(value) as unknown;
    }
    return evaluated;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
