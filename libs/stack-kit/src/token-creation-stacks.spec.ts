import { App, Lazy, TerraformOutput, TerraformStack } from 'cdktf';
import { configureTokenCreationStacks, TOKEN_STACK_OFF } from './token-creation-stacks';

/** The creation stack cdktf records for a token made now (Lazy.anyValue returns the token object itself). */
function tokenCreationStack(): string[] {
  return (Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] }).creationStack;
}

describe('token creation stacks', () => {
  afterEach(() => configureTokenCreationStacks({ CDKTF_TOKEN_STACK_TRACES: '1' }));

  it('are off by default: every token records the one-line hint instead of a stack', () => {
    configureTokenCreationStacks({});
    expect(tokenCreationStack()).toBe(TOKEN_STACK_OFF);
    expect(TOKEN_STACK_OFF).toEqual([
      '(token creation stacks are off for speed; rerun with CDKTF_TOKEN_STACK_TRACES=1 to record where this token was created)',
    ]);
  });

  it('come back with CDKTF_TOKEN_STACK_TRACES=1, pointing at the code that made the token', () => {
    configureTokenCreationStacks({ CDKTF_TOKEN_STACK_TRACES: '1' });
    const stack = tokenCreationStack();
    expect(stack.some((frame) => frame.includes('token-creation-stacks.spec.ts'))).toBe(true);
  });

  it('leave the hint in the error of a token that fails to resolve', () => {
    configureTokenCreationStacks({});
    const app = new App({ outdir: '/tmp/token-creation-stacks', stackTraces: false });
    const stack = new TerraformStack(app, 'broken');
    new TerraformOutput(stack, 'out', {
      value: Lazy.stringValue({
        produce: () => {
          throw new Error('no value yet');
        },
      }),
    });
    expect(() => app.synth()).toThrow(/no value yet[\s\S]*CDKTF_TOKEN_STACK_TRACES=1/);
  });
});
