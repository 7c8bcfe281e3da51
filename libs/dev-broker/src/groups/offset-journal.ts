import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface JournalOffset {
  readonly groupId: string;
  readonly protocolType: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly metadata: string;
  /** -1 when the committer did not say (before OffsetCommit v6). */
  readonly leaderEpoch: number;
}

export interface OffsetKey {
  readonly topic: string;
  readonly partition: number;
}

/** Where committed offsets go so they outlive the process; membership is rebuilt by rejoining clients. */
export interface OffsetJournal {
  /** `live` lists every offset still committed, for when the journal decides to compact. */
  committed(offsets: readonly JournalOffset[], live: () => readonly JournalOffset[]): void;
  groupDeleted(groupId: string): void;
  /** OffsetDelete: these partitions' offsets are no longer committed for the group. */
  offsetsDeleted(groupId: string, partitions: readonly OffsetKey[]): void;
  close(live: readonly JournalOffset[]): void;
}

type Line =
  | {
      readonly type: 'commit';
      readonly group: string;
      readonly protocolType: string;
      readonly topic: string;
      readonly partition: number;
      readonly offset: string;
      readonly metadata: string;
      readonly leaderEpoch?: number;
    }
  | { readonly type: 'delete'; readonly group: string }
  | { readonly type: 'forget'; readonly group: string; readonly topic: string; readonly partition: number };

export const inMemoryJournal: OffsetJournal = {
  committed: () => undefined,
  groupDeleted: () => undefined,
  offsetsDeleted: () => undefined,
  close: () => undefined,
};

function toLine(offset: JournalOffset): Line {
  return {
    type: 'commit',
    group: offset.groupId,
    protocolType: offset.protocolType,
    topic: offset.topic,
    partition: offset.partition,
    offset: offset.offset.toString(),
    metadata: offset.metadata,
    leaderEpoch: offset.leaderEpoch,
  };
}

/**
 * Append-only JSON lines under `<dataDir>/groups`. A crash can tear only the last line, which recovery
 * drops; any other unreadable line means the file was damaged by something else, so recovery refuses it.
 */
export class FileOffsetJournal implements OffsetJournal {
  private readonly path: string;
  private fd: number;
  private appendedSinceCompaction = 0;

  private constructor(
    directory: string,
    private readonly compactAfterLines: number,
  ) {
    this.path = join(directory, 'offsets.jsonl');
    this.fd = openSync(this.path, 'a');
  }

  /** Opens the journal and returns the offsets it holds, already compacted into a fresh file. */
  static open(
    dataDir: string,
    compactAfterLines = 10_000,
  ): { journal: FileOffsetJournal; recovered: JournalOffset[] } {
    const directory = join(dataDir, 'groups');
    mkdirSync(directory, { recursive: true });
    const recovered = recover(join(directory, 'offsets.jsonl'));
    const journal = new FileOffsetJournal(directory, compactAfterLines);
    journal.compact(recovered);
    return { journal, recovered };
  }

  committed(offsets: readonly JournalOffset[], live: () => readonly JournalOffset[]): void {
    if (offsets.length === 0) return;
    this.append(offsets.map(toLine));
    if (this.appendedSinceCompaction >= this.compactAfterLines) this.compact(live());
  }

  groupDeleted(groupId: string): void {
    this.append([{ type: 'delete', group: groupId }]);
  }

  offsetsDeleted(groupId: string, partitions: readonly OffsetKey[]): void {
    if (partitions.length === 0) return;
    this.append(
      partitions.map(({ topic, partition }) => ({ type: 'forget', group: groupId, topic, partition })),
    );
  }

  /** Rewrites the log as one line per live offset. */
  compact(live: readonly JournalOffset[]): void {
    const temporary = `${this.path}.tmp`;
    const fd = openSync(temporary, 'w');
    writeSync(fd, live.map((offset) => JSON.stringify(toLine(offset)) + '\n').join(''));
    closeSync(fd);
    closeSync(this.fd);
    renameSync(temporary, this.path);
    this.fd = openSync(this.path, 'a');
    this.appendedSinceCompaction = 0;
  }

  close(live: readonly JournalOffset[]): void {
    this.compact(live);
    closeSync(this.fd);
  }

  private append(lines: readonly Line[]): void {
    writeSync(this.fd, lines.map((line) => JSON.stringify(line) + '\n').join(''));
    this.appendedSinceCompaction += lines.length;
  }
}

function recover(path: string): JournalOffset[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const complete = text.endsWith('\n') ? lines.slice(0, -1) : lines;
  const live = new Map<string, JournalOffset>();
  complete.forEach((raw, index) => {
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch (error) {
      if (index === complete.length - 1) return;
      throw new Error(`${path} line ${index + 1} is unreadable; fix or remove the file: ${String(error)}`);
    }
    if (line.type === 'delete') {
      for (const key of [...live.keys()]) if (live.get(key)?.groupId === line.group) live.delete(key);
      return;
    }
    if (line.type === 'forget') {
      live.delete(JSON.stringify([line.group, line.topic, line.partition]));
      return;
    }
    const offset: JournalOffset = {
      groupId: line.group,
      protocolType: line.protocolType,
      topic: line.topic,
      partition: line.partition,
      offset: BigInt(line.offset),
      metadata: line.metadata,
      leaderEpoch: line.leaderEpoch ?? -1,
    };
    live.set(JSON.stringify([line.group, line.topic, line.partition]), offset);
  });
  return [...live.values()];
}
