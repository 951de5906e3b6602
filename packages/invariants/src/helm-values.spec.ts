import { loadEnvironment } from '@platform/config';
import { HelmChartRelease } from '@platform/platform';
import { PlatformStack, synthesizeStack, testContext } from '@platform/stack-kit';
import { evaluateHelmValues, REMOTE_STATE_PLACEHOLDER, toolchainOrLoudSkip, type TerraformJson } from '@platform/terraform-check';
import { Testing } from 'cdktf';
import { allSynthesizedStacks } from './synthesized-apps';

/**
 * Helm values reach Terraform as one `yamlencode({...})` expression per release. Platform stacks are
 * never validated by terraform here (no kubernetes/helm provider in the mirror), so the values are
 * evaluated on their own by the real terraform: every expression must parse, and what Helm would
 * receive must be what the construct meant, quotes, backslashes and template markers included.
 */
const toolchain = toolchainOrLoudSkip(process.env, '5.100.0', 'evaluation of every helm release values expression');
const maybe = toolchain ? describe : describe.skip;

maybe('helm values, as terraform evaluates them', () => {
  it('arrive exactly as written, whatever characters they hold', () => {
    const tricky = {
      promql: 'sum(rate(http_requests_total{namespace="market-intelligence",code=~"5.."}[5m]))',
      path: 'C:\\temp\\x and \\n literally',
      template: 'helm {{ .Values.x }}, terraform ${var.x} and %{ if x }',
      lines: 'first\nsecond\n',
      json: JSON.stringify({ a: 'b "c"' }),
      nested: [{ 'key "quoted"': 'v' }],
    };
    const stack = new PlatformStack(Testing.app(), 'probe-platform', testContext());
    new HelmChartRelease(stack, 'probe', { releaseName: 'probe', namespace: 'probe', chart: { local: 'cluster-manifests' }, values: tricky });
    const evaluated = evaluateHelmValues(toolchain!, { probe: synthesizeStack(stack) as TerraformJson });
    expect(Object.values(evaluated['probe']!)[0]).toEqual([tricky]);
  });

  describe('of every synthesized platform stack', () => {
    const config = loadEnvironment(process.env['PLATFORM_ENV'] ?? 'prod');
    const stacks = allSynthesizedStacks(config.environment).filter((s) => s.json.resource?.['helm_release']);
    let evaluated: ReturnType<typeof evaluateHelmValues> = {};
    beforeAll(() => {
      evaluated = evaluateHelmValues(toolchain!, Object.fromEntries(stacks.map((s) => [s.name, s.json])));
    });
    const release = (stack: string, name: string) => {
      const [id] = Object.entries(stacks.find((s) => s.name === stack)!.json.resource!['helm_release']!).find(([, r]) => r['name'] === name)!;
      return evaluated[stack]![id]![0] as Record<string, unknown>;
    };

    it('every release of every platform stack evaluates to a YAML mapping', () => {
      for (const stack of stacks)
        for (const [id, documents] of Object.entries(evaluated[stack.name] ?? {}))
          expect({ release: `${stack.name}: ${id}`, documents: documents.map((d) => typeof d) }).toEqual({
            release: `${stack.name}: ${id}`,
            documents: documents.map(() => 'object'),
          });
      expect(Object.keys(evaluated).sort()).toEqual(stacks.map((s) => s.name).sort());
    });

    it('keeps quoted PromQL, the dashboard JSON and ClickHouse XML intact', () => {
      const primary = `${config.primaryRegion.name}-platform`;
      const rules = JSON.stringify(release(primary, 'kube-prometheus-stack')['additionalPrometheusRulesMap']);
      expect(rules).toContain('sum(rate(http_requests_total{namespace=\\"market-intelligence\\"}[5m]))');
      const dashboards = release(primary, 'grafana')['dashboards'] as { platform: { global: { json: string } } };
      expect((JSON.parse(dashboards.platform.global.json) as { uid: string }).uid).toBe('platform-global');
      expect(JSON.stringify(release(primary, 'clickhouse'))).toContain('<verificationMode>strict</verificationMode>');
      expect(JSON.stringify(release(primary, 'prometheus-federation'))).toContain(`"targetGroupARN":"${REMOTE_STATE_PLACEHOLDER}"`);
    });
  });
});
