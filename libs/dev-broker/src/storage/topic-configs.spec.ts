import { ErrorCode } from '../protocol/error-codes';
import { configProblem, configsProblem, effectiveConfigs } from './topic-configs';

describe('topic configs', () => {
  it('given no overrides, when read, then Kafka defaults apply', () => {
    expect(effectiveConfigs({})).toEqual({
      retentionMs: 604800000,
      retentionBytes: -1,
      maxMessageBytes: 1048588,
    });
  });

  it('given overrides, when read, then they win', () => {
    expect(effectiveConfigs({ 'retention.ms': '1000', 'retention.bytes': '2048' })).toMatchObject({
      retentionMs: 1000,
      retentionBytes: 2048,
    });
  });

  it.each([
    ['retention.ms', '-1'],
    ['retention.bytes', '1073741824'],
    ['cleanup.policy', 'delete'],
    ['max.message.bytes', '2097152'],
    ['min.insync.replicas', '2'],
  ])('when %s is set to %s, then it is accepted', (name, value) => {
    expect(configProblem(name, value)).toBeUndefined();
  });

  it.each([
    [
      'retention.ms',
      '-2',
      ErrorCode.INVALID_CONFIG,
      'Invalid value -2 for configuration retention.ms: Value must be at least -1',
    ],
    [
      'retention.ms',
      '1.5',
      ErrorCode.INVALID_CONFIG,
      'Invalid value 1.5 for configuration retention.ms: Not a number of type LONG',
    ],
    [
      'max.message.bytes',
      '4294967296',
      ErrorCode.INVALID_CONFIG,
      'Invalid value 4294967296 for configuration max.message.bytes: Not a number of type INT',
    ],
    [
      'cleanup.policy',
      'delete,shred',
      ErrorCode.INVALID_CONFIG,
      'Invalid value delete,shred for configuration cleanup.policy: String must be one of: delete, compact',
    ],
    [
      'cleanup.policy',
      'compact,delete',
      ErrorCode.POLICY_VIOLATION,
      'the dev broker does not compact logs; cleanup.policy must be delete',
    ],
    [
      'segment.ms',
      '1000',
      ErrorCode.POLICY_VIOLATION,
      'the dev broker does not support topic config segment.ms',
    ],
    ['retention.days', '7', ErrorCode.INVALID_CONFIG, 'Unknown topic config name: retention.days'],
  ])('when %s is set to %s, then it is refused with %i', (name, value, errorCode, message) => {
    expect(configProblem(name, value)).toEqual({ errorCode, message });
  });

  it('given several overrides, when one is wrong, then that one is named', () => {
    expect(configsProblem({ 'retention.ms': '1000', 'min.insync.replicas': '0' })?.message).toMatch(
      /min.insync.replicas/,
    );
  });
});
