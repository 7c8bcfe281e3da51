import type { ServiceSpec } from './services';

/** One process the launcher starts: a service in one role, on its own port. */
export interface LaunchedProcess {
  readonly service: ServiceSpec;
  /** The service's name, with `/<n>` for a second api replica on and `/worker-<n>` for a worker. */
  readonly name: string;
  readonly port: number;
  readonly role: 'all' | 'api' | 'worker';
  /** How far above the first replica's ports this one's lane is: a gateway replica calls the api replicas of its lane. */
  readonly laneOffset: number;
}

/** A worker replica's port: 100 above its service's for the first, 200 for the second, and so on. */
const WORKER_PORT_STEP = 100;
/** The n-th lane (a gateway and one api process of each service) listens 1000 × (n − 1) above the first. */
export const LANE_PORT_STEP = 1000;
const MAX_REPLICAS = 5;

/**
 * `--workers` as a launcher argument: `2` splits every service with a schema into an api process
 * and two workers; `virtual-broker=2,saga-orchestrator=3` splits those. Unnamed services run as
 * one process in role `all`, the gateway always so.
 *
 * `--replicas N` runs the suite as the prod overlay's Deployments with N replicas would: N gateways
 * and, per service, N api processes and N workers (`--workers` still sets the workers). With no
 * load balancer on one machine, lane n is the n-th gateway calling the n-th api process of each service.
 */
export function processesOf(
  services: readonly ServiceSpec[],
  workers: string | undefined,
  replicas = 1,
): LaunchedProcess[] {
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS)
    throw new Error(
      `--replicas ${replicas}: the number of replicas must be an integer from 1 to ${MAX_REPLICAS}`,
    );
  const counts = workerCounts(services, workers);
  if (replicas > 1)
    for (const service of services)
      if (service.schema && !counts.has(service.name)) counts.set(service.name, replicas);
  const lanes = Array.from({ length: replicas }, (_, lane) => lane);
  return services.flatMap((service): LaunchedProcess[] => {
    const count = counts.get(service.name) ?? 0;
    const front = lanes.map((lane): LaunchedProcess => ({
      service,
      name: lane === 0 ? service.name : `${service.name}/${lane + 1}`,
      port: service.port + LANE_PORT_STEP * lane,
      role: count === 0 ? 'all' : 'api',
      laneOffset: LANE_PORT_STEP * lane,
    }));
    return [
      ...front,
      ...Array.from({ length: count }, (_, index): LaunchedProcess => ({
        service,
        name: `${service.name}/worker-${index + 1}`,
        port: service.port + WORKER_PORT_STEP * (index + 1),
        role: 'worker',
        laneOffset: 0,
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
