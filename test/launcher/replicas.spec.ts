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
});
