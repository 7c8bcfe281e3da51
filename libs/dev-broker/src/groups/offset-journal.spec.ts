import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileOffsetJournal, type JournalOffset } from './offset-journal';

const offset = (partition: number, value: bigint, groupId = 'g'): JournalOffset => ({
  groupId,
  protocolType: 'consumer',
  topic: 'orders',
  partition,
  offset: value,
  metadata: '',
  leaderEpoch: 3,
});

describe('offset journal', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'offset-journal-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('recovers the latest offset of every partition and forgets deleted groups', () => {
    const { journal } = FileOffsetJournal.open(dataDir);
    journal.committed([offset(0, 1n), offset(1, -2n)], () => []);
    journal.committed([offset(0, 7n), offset(0, 3n, 'gone')], () => []);
    journal.groupDeleted('gone');

    const { recovered } = FileOffsetJournal.open(dataDir);

    expect(recovered).toEqual([offset(0, 7n), offset(1, -2n)]);
  });

  it('forgets offsets deleted one by one', () => {
    const { journal } = FileOffsetJournal.open(dataDir);
    journal.committed([offset(0, 1n), offset(1, 2n)], () => []);
    journal.offsetsDeleted('g', [{ topic: 'orders', partition: 0 }]);

    expect(FileOffsetJournal.open(dataDir).recovered).toEqual([offset(1, 2n)]);
  });

  it('ignores a torn last line, as a crash mid-append leaves it', () => {
    const { journal } = FileOffsetJournal.open(dataDir);
    journal.committed([offset(0, 5n)], () => []);
    appendFileSync(join(dataDir, 'groups', 'offsets.jsonl'), '{"type":"commit","group":"g","topic":"ord');

    const { journal: reopened, recovered } = FileOffsetJournal.open(dataDir);
    reopened.committed([offset(1, 6n)], () => []);

    expect(recovered).toEqual([offset(0, 5n)]);
    expect(FileOffsetJournal.open(dataDir).recovered).toEqual([offset(0, 5n), offset(1, 6n)]);
  });

  it('compacts to one line per live offset once enough lines were appended', () => {
    const { journal } = FileOffsetJournal.open(dataDir, 3);
    for (let i = 0n; i < 3n; i++) journal.committed([offset(0, i)], () => [offset(0, i)]);

    const lines = readFileSync(join(dataDir, 'groups', 'offsets.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    expect(FileOffsetJournal.open(dataDir).recovered).toEqual([offset(0, 2n)]);
  });
});
