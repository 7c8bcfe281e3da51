import { processesOf } from '../../scripts/launcher/replicas';
import { services } from '../../scripts/launcher/services';

const started = (workers?: string) =>
  processesOf(services, workers).map(
    ({ name, port, role }) => `${name}:${port - services[0].port + 1}:${role}`,
  );

describe('the launcher --workers argument', () => {
  it('given none, runs every service as one process in role all', () => {
    expect(processesOf(services, undefined).every((process) => process.role === 'all')).toBe(true);
    expect(processesOf(services, undefined)).toHaveLength(services.length);
  });

  it('given a count for one service, runs its api on its port and the workers 100 ports up', () => {
    const virtualBroker = started('virtual-broker=2').filter((entry) => entry.startsWith('virtual-broker'));
    expect(virtualBroker).toEqual([
      'virtual-broker:4:api',
      'virtual-broker/worker-1:104:worker',
      'virtual-broker/worker-2:204:worker',
    ]);
  });

  it('given a bare count, splits every service with a schema but never the gateway', () => {
    const split = processesOf(services, '1');
    expect(split.filter((process) => process.role === 'worker')).toHaveLength(services.length - 1);
    expect(split.find((process) => process.name === 'api-gateway')?.role).toBe('all');
  });

  it('given a service that has no background work, says so', () => {
    expect(() => processesOf(services, 'api-gateway=2')).toThrow(
      'api-gateway is not a started service with background work',
    );
    expect(() => processesOf(services, 'virtual-broker=many')).toThrow('an integer from 0 to 9');
  });

  it('given --replicas 2, runs two gateways and two api processes and two workers of every service', () => {
    const lanes = processesOf(services, undefined, 2);
    const virtualBroker = lanes
      .filter(({ service }) => service.name === 'virtual-broker')
      .map(
        ({ name, port, role, laneOffset }) => `${name}:${port - services[0].port + 1}:${role}:${laneOffset}`,
      );
    expect(virtualBroker).toEqual([
      'virtual-broker:4:api:0',
      'virtual-broker/2:1004:api:1000',
      'virtual-broker/worker-1:104:worker:0',
      'virtual-broker/worker-2:204:worker:0',
    ]);
    const gateways = lanes.filter(({ service }) => service.name === 'api-gateway');
    expect(gateways.map(({ role, laneOffset }) => `${role}:${laneOffset}`)).toEqual(['all:0', 'all:1000']);
    expect(lanes).toHaveLength(2 + 4 * (services.length - 1));
  });

  it('given --replicas and --workers, takes the workers from --workers', () => {
    const workers = processesOf(services, 'saga-orchestrator=3', 2).filter(
      ({ service, role }) => service.name === 'saga-orchestrator' && role === 'worker',
    );
    expect(workers).toHaveLength(3);
    expect(() => processesOf(services, undefined, 6)).toThrow('an integer from 1 to 5');
  });
});
