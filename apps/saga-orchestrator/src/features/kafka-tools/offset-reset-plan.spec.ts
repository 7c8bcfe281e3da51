import { planOffsetReset, type PartitionWatermarks } from './offset-reset-plan';

const log: PartitionWatermarks[] = [
  { partition: 0, low: '10', high: '50' },
  { partition: 1, low: '0', high: '7' },
];
const committed = new Map([[0, '40']]);

describe('planOffsetReset', () => {
  it('given earliest, moves every partition to its log start, saying where each was', () => {
    expect(planOffsetReset(log, committed, { to: 'earliest' })).toEqual([
      { partition: 0, from: '40', to: '10' },
      { partition: 1, from: null, to: '0' },
    ]);
  });

  it('given latest, skips everything not yet read', () => {
    expect(planOffsetReset(log, committed, { to: 'latest' }).map((move) => move.to)).toEqual(['50', '7']);
  });

  it('given a time, resumes at the first offset written then, or at the end when nothing was', () => {
    const offsetsAtTime = new Map([[0, '25']]);
    expect(planOffsetReset(log, committed, { to: 'timestamp', offsetsAtTime }).map((m) => m.to)).toEqual([
      '25',
      '7',
    ]);
  });

  it('given offsets per partition, moves only those, kept inside the log', () => {
    const offsets = new Map([
      [0, '3'],
      [1, '99'],
    ]);
    expect(planOffsetReset(log, committed, { to: 'offsets', offsets })).toEqual([
      { partition: 0, from: '40', to: '10' },
      { partition: 1, from: null, to: '7' },
    ]);
    expect(planOffsetReset(log, committed, { to: 'offsets', offsets: new Map([[1, '2']]) })).toEqual([
      { partition: 1, from: null, to: '2' },
    ]);
  });
});
