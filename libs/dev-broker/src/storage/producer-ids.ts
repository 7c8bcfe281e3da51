import * as fs from 'node:fs';
import * as path from 'node:path';

const BLOCK_SIZE = 1000;

/**
 * Hands out producer ids. With a data dir, ids are reserved in blocks recorded on disk (as
 * Kafka does), so a producer that got an id before a restart never shares it with a new one.
 */
export class ProducerIds {
  private next: number;
  private reservedUntil: number;

  constructor(
    private readonly blockFile: string | undefined,
    highestInLogs: number,
  ) {
    const recorded =
      blockFile && fs.existsSync(blockFile) ? Number(fs.readFileSync(blockFile, 'utf8')) || 0 : 0;
    this.next = Math.max(recorded, highestInLogs + 1);
    this.reservedUntil = this.next;
  }

  static open(dataDir: string | undefined, highestInLogs: number): ProducerIds {
    return new ProducerIds(
      dataDir === undefined ? undefined : path.resolve(dataDir, 'producer-ids'),
      highestInLogs,
    );
  }

  allocate(): number {
    if (this.next >= this.reservedUntil) {
      this.reservedUntil = this.next + BLOCK_SIZE;
      if (this.blockFile) fs.writeFileSync(this.blockFile, String(this.reservedUntil));
    }
    return this.next++;
  }
}
