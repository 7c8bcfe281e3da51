import { type DevBrokerHandle, startDevBroker } from '../src';
import { Writer } from '../src/protocol/writer';
import type { BrokerLogger } from '../src/logger';
import { consume, kafkaFor, quiet, uniqueName } from './support/kafka-fixture';
import { RawClient } from './support/raw-client';

describe('a misbehaving client', () => {
  let broker: DevBrokerHandle;
  const warnings: string[] = [];
  const logger: BrokerLogger = { ...quiet.logger, warn: (message) => warnings.push(message) };

  beforeAll(async () => {
    broker = await startDevBroker({ logger, maxFrameBytes: 1024 * 1024 });
  });

  afterAll(() => broker.stop());

  it('loses only its own connection to garbage, oversized and truncated frames', async () => {
    const kafka = kafkaFor(broker);
    const topic = uniqueName('robust');
    const producer = kafka.producer();
    await producer.connect();
    const consuming = consume(kafka, topic, 40);

    const garbage = await RawClient.connect(broker.ports[0]);
    const oversized = await RawClient.connect(broker.ports[0]);
    const truncated = await RawClient.connect(broker.ports[0]);
    for (let i = 0; i < 20; i++) await producer.send({ topic, messages: [{ value: `before-${i}` }] });

    garbage.write(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    const hugeHeader = Buffer.alloc(8);
    hugeHeader.writeInt32BE(50 * 1024 * 1024, 0);
    oversized.write(hugeHeader);
    const shortBody = new Writer().int16(3).int16(1).int32(7).int16(200).toBuffer();
    const frame = Buffer.concat([Buffer.from([0, 0, 0, shortBody.length]), shortBody]);
    truncated.write(frame);
    await Promise.all([garbage.closed, oversized.closed, truncated.closed]);

    for (let i = 0; i < 20; i++) await producer.send({ topic, messages: [{ value: `after-${i}` }] });
    const received = await consuming;
    await producer.disconnect();

    expect(received.map(({ message }) => message.value?.toString())).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `before-${i}`),
      ...Array.from({ length: 20 }, (_, i) => `after-${i}`),
    ]);
    expect(warnings.filter((w) => w.includes('closed connection'))).toHaveLength(3);
  });
});
