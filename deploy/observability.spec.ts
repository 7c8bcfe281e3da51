import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { apps, parseYaml, read, root, schemaOf } from './deployment-fixtures';

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; runbook_url: string };
}

/** Every metric the code registers: `new Gauge|Counter|Histogram({ name: '…' })`, in apps and libs. */
function registeredMetrics(): Set<string> {
  const names = new Set<string>();
  const visit = (directory: string): void => {
    for (const entry of readdirSync(directory)) {
      const path = join(directory, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== 'node_modules' && entry !== 'dashboard') visit(path);
      } else if (entry.endsWith('.ts') && !entry.includes('.spec.') && !entry.includes('-spec.')) {
        const source = read(path.slice(root.length + 1));
        for (const [, name] of source.matchAll(/new (?:Gauge|Counter|Histogram)\(\{\s*name: '([a-z_]+)'/g))
          names.add(name);
      }
    }
  };
  visit(join(root, 'apps'));
  visit(join(root, 'libs'));
  return names;
}

const PROMQL_WORDS = new Set(['histogram_quantile']);
/** Metrics other exporters serve (kube-state-metrics in Kubernetes), which alerts may read too. */
const EXTERNAL_METRICS = new Set(['kube_pod_container_status_restarts_total']);

/** The metric names a PromQL expression reads: label matchers, `by (…)` lists and functions removed. */
function metricsIn(expr: string): string[] {
  const bare = expr.replace(/\{[^}]*\}/g, '').replace(/\b(by|without)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g)]
    .map(([name]) => name.replace(/_(bucket|count|sum)$/, ''))
    .filter((name) => !PROMQL_WORDS.has(name));
}

const docs = read('docs/observability.md');
const runbook = read('docs/runbook.md');
const anchors = new Set(
  [...runbook.matchAll(/^#+ (.+)$/gm)].map(([, heading]) =>
    heading
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-'),
  ),
);
const [alertFile] = parseYaml<{ groups: { name: string; rules: AlertRule[] }[] }>(
  read('deploy/prometheus/alerts.yml'),
);
const rules = alertFile.groups.flatMap((group) => group.rules);
const [prometheusRule] = parseYaml<{ kind: string; spec: { groups: unknown[] } }>(
  read('k8s/base/observability/prometheus-rule.yaml'),
);
const dashboard = JSON.parse(read('k8s/base/observability/tradecore-overview.json')) as {
  panels: { title: string; targets: { expr: string }[] }[];
};
const registered = registeredMetrics();
const metrics = new Set([...registered, ...EXTERNAL_METRICS]);
const promtool = (process.env.PATH ?? '')
  .split(':')
  .filter(Boolean)
  .map((directory) => join(directory, 'promtool'))
  .find((path) => existsSync(path));

/** `promtool check rules` on a rule file; throws with promtool's report when it refuses one. */
function checkRules(groups: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tradecore-rules-')), 'rules.yml');
  writeFileSync(file, stringify({ groups }));
  return execFileSync(promtool!, ['check', 'rules', file], { encoding: 'utf8', stdio: 'pipe' });
}

describe('observability shipped with the deployment', () => {
  it('finds the metrics the code registers (so the checks below can fail)', () => {
    expect(metrics).toContain('eventing_consumer_lag_seconds');
    expect(metrics).toContain('sagas_in_flight');
    expect(metricsIn('sum by (topic) (rate(x_total{status="5.."}[5m])) / y_seconds_count')).toEqual([
      'x_total',
      'y_seconds',
    ]);
  });

  it.each(rules.map((rule) => [rule.alert, rule] as const))(
    'alert %s reads only metrics that exist and links to its runbook',
    (_name, rule) => {
      expect(metricsIn(rule.expr).filter((name) => !metrics.has(name))).toEqual([]);
      expect(['warning', 'critical']).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toBeTruthy();
      const [file, anchor] = rule.annotations.runbook_url.split('#');
      expect(file).toBe('docs/runbook.md');
      expect(anchors).toContain(anchor);
    },
  );

  it('ships the same rules to Kubernetes as a PrometheusRule', () => {
    expect(prometheusRule.kind).toBe('PrometheusRule');
    expect(prometheusRule.spec.groups).toEqual(alertFile.groups);
  });

  // promtool is Debian's `prometheus` package; where it is missing, the checks above still hold.
  (promtool ? it : it.skip)('passes promtool check rules, as Prometheus would load them', () => {
    expect(checkRules(alertFile.groups)).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(checkRules(prometheusRule.spec.groups)).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(() =>
      checkRules([{ name: 'broken', rules: [{ alert: 'Broken', expr: 'rate(x[5m]' }] }]),
    ).toThrow();
  });

  it('draws only metrics that exist on the dashboard', () => {
    const unknown = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((target) => metricsIn(target.expr).filter((name) => !metrics.has(name))),
    );
    expect(unknown).toEqual([]);
  });

  it('documents every metric the code registers', () => {
    expect([...registered].filter((name) => !docs.includes(`\`${name}\``))).toEqual([]);
  });

  it('scrapes every service that has a database, hence /metrics', () => {
    const [prometheus] = parseYaml<{ scrape_configs: { static_configs: { targets: string[] }[] }[] }>(
      read('deploy/prometheus/prometheus.yml'),
    );
    const targets = prometheus.scrape_configs.flatMap((job) => job.static_configs.flatMap((c) => c.targets));
    const services = apps.filter((app) => schemaOf(app) !== undefined);
    expect(targets.sort()).toEqual(services.map((app) => `${app}:3000`).sort());
  });
});
