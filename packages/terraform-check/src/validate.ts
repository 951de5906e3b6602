import type { SynthesizedStack } from './synth-output';
import { TerraformWorkdir } from './terraform-workdir';
import type { Toolchain } from './toolchain';

export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  /** Where in cdk.tf.json, as terraform shows it (`context` is the enclosing block). */
  readonly snippet?: { readonly context?: string | null; readonly code?: string };
}

export interface StackCheck {
  readonly stack: string;
  readonly status: 'valid' | 'invalid' | 'not-checked';
  readonly seconds: number;
  readonly diagnostics: readonly Diagnostic[];
  /** Why a stack was not checked, or what failed. */
  readonly note?: string;
}

/** Stacks that use only the AWS provider can be checked against the real provider offline. */
export function isAwsOnly(stack: SynthesizedStack): boolean {
  return stack.providers.length === 1 && stack.providers[0] === 'aws';
}

/** `terraform init -backend=false` + `terraform validate -json` against the provider from the mirror. */
export function validateStack(workRoot: string, toolchain: Toolchain, stack: SynthesizedStack): StackCheck {
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  if (!isAwsOnly(stack)) {
    return { stack: stack.name, status: 'not-checked', seconds: 0, diagnostics: [], note: `uses ${stack.providers.join(', ')}; the offline mirror holds only hashicorp/aws` };
  }
  const workdir = new TerraformWorkdir(workRoot, toolchain, stack);
  const init = workdir.init();
  if (init.status !== 0) {
    return { stack: stack.name, status: 'invalid', seconds: elapsed(), diagnostics: [{ severity: 'error', summary: 'terraform init failed', detail: (init.stderr || init.stdout).trim() }] };
  }
  const result = workdir.run(['validate', '-json', '-no-color']);
  let parsed: { valid: boolean; diagnostics: Diagnostic[] };
  try {
    parsed = JSON.parse(result.stdout) as typeof parsed;
  } catch {
    return { stack: stack.name, status: 'invalid', seconds: elapsed(), diagnostics: [{ severity: 'error', summary: 'terraform validate printed no JSON', detail: (result.stderr || result.stdout).trim() }] };
  }
  return { stack: stack.name, status: parsed.valid ? 'valid' : 'invalid', seconds: elapsed(), diagnostics: parsed.diagnostics };
}
