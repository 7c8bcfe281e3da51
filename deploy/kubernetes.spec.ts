import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import {
  appSecrets,
  apps,
  documentedVariables,
  gatewayUrls,
  kustomizeRenderer,
  parseYaml,
  read,
  requiredVariables,
  root,
  schemaOf,
} from './deployment-fixtures';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */
type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: any };
  spec?: any;
  data?: any;
};

const render = kustomizeRenderer();
const targets = ['k8s/base', 'k8s/overlays/dev', 'k8s/overlays/prod'];

describe('k8s kustomizations', () => {
  const kustomizations = walk('k8s').filter((file) => file.endsWith('/kustomization.yaml'));
  const referenced = (file: string): string[] => {
    const [k] = parseYaml<Record<string, any[] | undefined>>(read(file));
    return [
      ...(k.resources ?? []),
      ...(k.bases ?? []),
      ...(k.patchesStrategicMerge ?? []),
      ...(k.patchesJson6902 ?? []).map((patch: { path: string }) => patch.path),
      ...(k.configMapGenerator ?? []).flatMap((generator: { files?: string[] }) => generator.files ?? []),
    ].map((entry) => join(dirname(file), entry));
  };

  it('reference only files and directories that exist', () => {
    const missing = kustomizations.flatMap((file) =>
      referenced(file).filter((entry) => !existsSync(join(root, entry))),
    );
    expect(missing).toEqual([]);
  });

  it('leave no manifest orphaned', () => {
    const used = new Set(kustomizations.flatMap(referenced));
    const manifests = walk('k8s').filter((file) => !file.endsWith('/kustomization.yaml'));
    expect(manifests.filter((file) => !used.has(file))).toEqual([]);
  });

  it.each(['k8s/overlays/dev', 'k8s/overlays/prod'])('%s builds on base for every app', (overlay) => {
    const reached = new Set<string>();
    const visit = (directory: string) => {
      for (const entry of referenced(`${directory}/kustomization.yaml`)) {
        if (statSync(join(root, entry)).isDirectory() && !reached.has(entry)) {
          reached.add(entry);
          visit(entry);
        }
      }
    };
    visit(overlay);
    expect([...reached].filter((dir) => dir.startsWith('k8s/base/')).sort()).toEqual(
      [
        'k8s/base/platform',
        'k8s/base/observability',
        'k8s/base/service',
        ...apps.map((app) => `k8s/base/${app}`),
      ].sort(),
    );
  });
});

describe.each(targets)('%s rendered', (target) => {
  let manifests: Manifest[] = [];
  beforeAll(() => {
    if (!render) {
      if (process.env.CI) throw new Error('kubectl is missing: apt-get install kubernetes-client');
      return;
    }
    manifests = parseYaml<Manifest>(render(target)).filter(Boolean);
  });
  const named = (kind: string, name: string) =>
    manifests.find((m) => m.kind === kind && m.metadata.name === name) as Manifest;
  const renderedIt = render || process.env.CI ? it : it.skip;

  renderedIt('names every object once', () => {
    const ids = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  if (target.startsWith('k8s/overlays/'))
    renderedIt('puts every object in the namespace and pins every image to a tag', () => {
      const namespaced = manifests.filter((m) => m.kind !== 'Namespace');
      const namespaces = new Set(namespaced.map((m) => (m.metadata as { namespace?: string }).namespace));
      expect(namespaces).toEqual(new Set([manifests.find((m) => m.kind === 'Namespace')?.metadata.name]));
      const images = manifests
        .filter((m) => m.kind === 'Deployment')
        .flatMap((m) => m.spec.template.spec.containers.map((c: { image: string }) => c.image));
      expect(images.filter((image) => !/:[\w.-]+$/.test(image))).toEqual([]);
    });

  renderedIt('commits no Secret values, only references', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  renderedIt('points kafka, postgres and redis at external endpoints', () => {
    for (const name of ['kafka', 'postgres', 'redis']) {
      expect(named('Service', name)?.spec).toMatchObject({
        type: 'ExternalName',
        externalName: expect.any(String),
      });
    }
  });

  describe.each(apps)('%s', (app) => {
    const name = `tradecore-${app}`;
    const deployment = () => named('Deployment', name);
    const pod = () => deployment().spec.template;
    const container = () => pod().spec.containers[0];
    const config = () => named('ConfigMap', container().envFrom[0].configMapRef.name).data;
    const matches = (selector: Record<string, string>) =>
      Object.entries(selector).every(([key, value]) => pod().metadata.labels[key] === value);

    renderedIt('runs its own image on the port its configuration names', () => {
      expect(container().image).toMatch(new RegExp(`tradecore/${app}(:|$)`));
      const http = container().ports.find((port: any) => port.name === 'http');
      expect(String(http.containerPort)).toBe(config().PORT);
      expect(matches(deployment().spec.selector.matchLabels)).toBe(true);
    });

    renderedIt('probes liveness and readiness on the health endpoints', () => {
      expect(container().livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container().readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    });

    renderedIt('requests and limits CPU and memory', () => {
      for (const bound of ['requests', 'limits']) {
        expect(container().resources[bound]).toEqual({ cpu: expect.anything(), memory: expect.anything() });
      }
    });

    renderedIt('runs as non-root on a read-only root file system with /tmp writable', () => {
      expect(pod().spec.securityContext.runAsNonRoot).toBe(true);
      expect(container().securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      const tmp = container().volumeMounts.find((mount: any) => mount.mountPath === '/tmp');
      expect(pod().spec.volumes.find((volume: any) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
    });

    renderedIt('has a Service, an autoscaler on CPU and a disruption budget for its pods', () => {
      const service = named('Service', name);
      expect(matches(service.spec.selector)).toBe(true);
      expect(service.spec.ports).toContainEqual(expect.objectContaining({ targetPort: 'http' }));
      const hpa = named('HorizontalPodAutoscaler', name);
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name });
      expect(hpa.spec.metrics).toContainEqual(
        expect.objectContaining({ resource: expect.objectContaining({ name: 'cpu' }) }),
      );
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
      expect(matches(named('PodDisruptionBudget', name).spec.selector.matchLabels)).toBe(true);
    });

    if (target.startsWith('k8s/overlays/') && schemaOf(app))
      renderedIt('runs its API and its workers as Deployments of their own, each with an autoscaler', () => {
        const roleOf = (deploymentName: string) =>
          named('Deployment', deploymentName).spec.template.spec.containers[0].env.find(
            (variable: any) => variable.name === 'PROCESS_ROLE',
          )?.value;
        expect([roleOf(name), roleOf(`${name}-worker`)]).toEqual(['api', 'worker']);
        const workerPods = named('Deployment', `${name}-worker`).spec.template;
        expect(workerPods.spec.containers[0].image).toBe(container().image);
        // The Service, which the gateway calls, reaches only the API pods.
        const selector = named('Service', name).spec.selector;
        expect(
          Object.entries(selector).every(([key, value]) => workerPods.metadata.labels[key] === value),
        ).toBe(false);
        const hpa = named('HorizontalPodAutoscaler', `${name}-worker`);
        expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: `${name}-worker` });
        expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
        const pdb = named('PodDisruptionBudget', `${name}-worker`).spec.selector.matchLabels;
        expect(Object.entries(pdb).every(([key, value]) => workerPods.metadata.labels[key] === value)).toBe(
          true,
        );
      });

    renderedIt('is given every variable it needs, secrets from Secret references', () => {
      const env: any[] = container().env ?? [];
      const provided = new Set([...Object.keys(config()), ...env.map((variable) => variable.name)]);
      expect(requiredVariables(app).filter((variable) => !provided.has(variable))).toEqual([]);
      const fromSecret = (variable: string) =>
        env.find((entry) => entry.name === variable)?.valueFrom?.secretKeyRef?.name;
      for (const variable of (appSecrets[app] ?? []).filter((v) => !v.endsWith('_FILE'))) {
        expect(fromSecret(variable)).toEqual(expect.any(String));
      }
      if (schemaOf(app)) {
        expect(fromSecret('DATABASE_PASSWORD')).toBe(`tradecore-${app}-database`);
        expect(env.find((entry) => entry.name === 'DATABASE_URL').value).toMatch(
          new RegExp(`^postgres://${schemaOf(app)}:\\$\\(DATABASE_PASSWORD\\)@postgres:5432/tradecore`),
        );
      }
    });

    renderedIt('finds its key files where a Secret volume puts them', () => {
      const files = Object.entries(config()).filter(([variable]) => variable.endsWith('_KEY_FILE'));
      expect(files.map(([variable]) => variable).sort()).toEqual(
        requiredVariables(app)
          .filter((variable) => variable.endsWith('_KEY_FILE'))
          .sort(),
      );
      if (files.length === 0) expect(pod().spec.volumes.filter((volume: any) => volume.secret)).toEqual([]);
      for (const [, path] of files as [string, string][]) {
        const mount = container().volumeMounts.find((m: any) => path.startsWith(`${m.mountPath}/`));
        const volume = pod().spec.volumes.find((v: any) => v.name === mount?.name);
        expect(volume?.secret?.items).toContainEqual(
          expect.objectContaining({ path: path.slice(mount.mountPath.length + 1) }),
        );
      }
    });

    renderedIt('sets only documented variables', () => {
      const documented = documentedVariables();
      const set = [...Object.keys(config()), ...(container().env ?? []).map((v: any) => v.name)].filter(
        // Only there to be spliced into DATABASE_URL by Kubernetes.
        (variable) => variable !== 'DATABASE_PASSWORD',
      );
      expect(set.filter((variable) => !documented.has(variable))).toEqual([]);
    });
  });

  renderedIt('routes the gateway to every service by its Service', () => {
    const gateway = named('Deployment', 'tradecore-api-gateway').spec.template.spec.containers[0];
    const config = named('ConfigMap', gateway.envFrom[0].configMapRef.name).data;
    for (const [app, variable] of Object.entries(gatewayUrls)) {
      const url = new URL(config[variable]);
      const service = named('Service', url.hostname);
      expect(service?.metadata.labels['app.kubernetes.io/name']).toBe(app);
      expect(service.spec.ports.map((port: any) => port.port)).toContain(Number(url.port || 80));
    }
  });
});

function walk(directory: string): string[] {
  return readdirSync(join(root, directory)).flatMap((entry) => {
    const path = `${directory}/${entry}`;
    return statSync(join(root, path)).isDirectory() ? walk(path) : [relative(root, join(root, path))];
  });
}
