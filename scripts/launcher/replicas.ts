import type { ServiceSpec } from './services';

/** One process the launcher starts: a service in one role, on its own port. */
export interface LaunchedProcess {
  readonly service: ServiceSpec;
  /** The service's name, with `/worker-<n>` for a worker replica. */
  readonly name: string;
  readonly port: number;
  readonly role: 'all' | 'api' | 'worker';
}

/** A worker replica's port: 100 above its service's for the first, 200 for the second, and so on. */
const WORKER_PORT_STEP = 100;

/**
 * `--workers` as a launcher argument: `2` splits every service with a schema into an api process
 * and two workers; `virtual-broker=2,saga-orchestrator=3` splits those. Unnamed services run as
 * one process in role `all`, the gateway always so.
 */
export function processesOf(
  services: readonly ServiceSpec[],
  workers: string | undefined,
): LaunchedProcess[] {
  const counts = workerCounts(services, workers);
  return services.flatMap((service): LaunchedProcess[] => {
    const count = counts.get(service.name) ?? 0;
    if (count === 0) return [{ service, name: service.name, port: service.port, role: 'all' }];
    return [
      { service, name: service.name, port: service.port, role: 'api' },
      ...Array.from({ length: count }, (_, index): LaunchedProcess => ({
        service,
        name: `${service.name}/worker-${index + 1}`,
        port: service.port + WORKER_PORT_STEP * (index + 1),
        role: 'worker',
      })),
    ];
  });
}

function workerCounts(services: readonly ServiceSpec[], spec: string | undefined): Map<string, number> {
  const entries = (spec ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const [name, count] = entry.includes('=') ? entry.split('=') : [undefined, entry];
    const workers = Number(count);
    if (!Number.isInteger(workers) || workers < 0 || workers > 9)
      throw new Error(`--workers ${entry}: the number of workers must be an integer from 0 to 9`);
    const named = services.filter(
      (service) => service.schema && (name === undefined || service.name === name),
    );
    if (name !== undefined && named.length === 0)
      throw new Error(
        `--workers ${entry}: ${name} is not a started service with background work (the gateway has none)`,
      );
    for (const service of named)
      if (name !== undefined || !counts.has(service.name)) counts.set(service.name, workers);
  }
  return counts;
}
