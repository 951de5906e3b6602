import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { combinedName, writeStacksAsModules } from './stacks-as-modules';
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
    return {
      stack: stack.name,
      status: 'not-checked',
      seconds: 0,
      diagnostics: [],
      note: `uses ${stack.providers.join(', ')}; the offline mirror holds only hashicorp/aws`,
    };
  }
  const workdir = new TerraformWorkdir(workRoot, toolchain, stack);
  const init = workdir.init();
  if (init.status !== 0) {
    return {
      stack: stack.name,
      status: 'invalid',
      seconds: elapsed(),
      diagnostics: [{ severity: 'error', summary: 'terraform init failed', detail: (init.stderr || init.stdout).trim() }],
    };
  }
  const result = workdir.run(['validate', '-json', '-no-color']);
  let parsed: { valid: boolean; diagnostics: Diagnostic[] };
  try {
    parsed = JSON.parse(result.stdout) as typeof parsed;
  } catch {
    return {
      stack: stack.name,
      status: 'invalid',
      seconds: elapsed(),
      diagnostics: [{ severity: 'error', summary: 'terraform validate printed no JSON', detail: (result.stderr || result.stdout).trim() }],
    };
  }
  return { stack: stack.name, status: parsed.valid ? 'valid' : 'invalid', seconds: elapsed(), diagnostics: parsed.diagnostics };
}

/**
 * Validates many AWS-only stacks with one terraform run: a generated root module includes each
 * stack as a module (its backend removed: only a root module has one), so the provider's schema is
 * loaded once instead of once per stack (measured here: 11 stacks in 6.5 s together, 2.0-2.5 s
 * each alone). Diagnostics name their file (`<stack>/cdk.tf.json`), so each stays with its stack.
 * A stack the combined run cannot attribute an error to is validated alone, never passed.
 */
export function validateStacks(workRoot: string, toolchain: Toolchain, stacks: readonly SynthesizedStack[]): StackCheck[] {
  const started = Date.now();
  const checked = stacks.filter(isAwsOnly);
  const results = new Map<string, StackCheck>(stacks.filter((s) => !isAwsOnly(s)).map((s) => [s.name, validateStack(workRoot, toolchain, s)]));
  if (checked.length <= 1) {
    for (const stack of checked) results.set(stack.name, validateStack(workRoot, toolchain, stack));
    return stacks.map((s) => results.get(s.name)!);
  }
  const combined = new TerraformWorkdir(workRoot, toolchain, {
    app: 'combined',
    name: combinedName(checked),
    dir: checked[0]!.dir,
    json: {},
    providers: ['aws'],
    providerVersions: {},
    readsRemoteState: false,
  });
  rmSync(join(combined.dir, 'cdk.tf.json'), { force: true });
  writeStacksAsModules(combined.dir, checked);
  const init = combined.init();
  const result = init.status === 0 ? combined.run(['validate', '-json', '-no-color']) : undefined;
  let parsed: { valid: boolean; diagnostics: (Diagnostic & { range?: { filename?: string } })[] } | undefined;
  try {
    parsed = result ? (JSON.parse(result.stdout) as typeof parsed) : undefined;
  } catch {
    parsed = undefined;
  }
  const seconds = (Date.now() - started) / 1000 / checked.length;
  const unattributed = parsed?.diagnostics.some((d) => !checked.some((s) => d.range?.filename?.startsWith(`${s.name}/`))) ?? true;
  for (const stack of checked) {
    if (!parsed || (unattributed && !parsed.valid)) {
      // Init failed, no JSON, or an error tied to no stack: check each alone, with its own messages.
      results.set(stack.name, validateStack(workRoot, toolchain, stack));
      continue;
    }
    const diagnostics = parsed.diagnostics.filter((d) => d.range?.filename?.startsWith(`${stack.name}/`));
    results.set(stack.name, {
      stack: stack.name,
      status: diagnostics.some((d) => d.severity === 'error') ? 'invalid' : 'valid',
      seconds,
      diagnostics,
    });
  }
  return stacks.map((s) => results.get(s.name)!);
}
