// cdktf records a full stack trace for every token it creates (Intrinsic, Lazy, complex lists:
// cdktf/lib/tokens/private/stack-trace.js, unlimited depth), only to print it if that token later
// fails to resolve. Formatting those traces is ~12% of a synth (195 of 1,588 ms for all five apps
// in one process, `node --cpu-prof`, 2026-12-04) and cdktf 0.21 has no switch for it (the App's
// `stackTraces: false` covers construct metadata only). Entrypoints turn it off; set
// CDKTF_TOKEN_STACK_TRACES=1 to record them again when a resolution error needs its origin.
import * as stackTrace from 'cdktf/lib/tokens/private/stack-trace';

/** What a token records instead of its creation stack (cdktf joins it into its error messages). */
export const TOKEN_STACK_OFF: readonly string[] = Object.freeze([
  '(token creation stacks are off for speed; rerun with CDKTF_TOKEN_STACK_TRACES=1 to record where this token was created)',
]);

const recordStack = stackTrace.captureStackTrace;

/**
 * Switches cdktf's token creation stacks off for this process, unless CDKTF_TOKEN_STACK_TRACES=1.
 * cdktf reads `captureStackTrace` from the module's exports at every call, so replacing the export
 * takes effect for every token created afterwards.
 */
export function configureTokenCreationStacks(env: Readonly<Record<string, string | undefined>>): void {
  const exports = stackTrace as { captureStackTrace: typeof recordStack };
  if (typeof exports.captureStackTrace !== 'function') {
    throw new Error(
      'cdktf/lib/tokens/private/stack-trace no longer exports captureStackTrace: review token-creation-stacks.ts for this cdktf version',
    );
  }
  exports.captureStackTrace = env['CDKTF_TOKEN_STACK_TRACES'] === '1' ? recordStack : () => TOKEN_STACK_OFF as string[];
}
