import { Inject, Injectable } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';

/** A short-lived admin client per operator request, disconnected whatever happens. */
@Injectable()
export class KafkaAdmin {
  constructor(@Inject(Kafka) readonly kafka: Kafka) {}

  async withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }
}
