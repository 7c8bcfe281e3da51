import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BrokerCredentials } from './adapters/broker-adapter';
import { CredentialsCipher } from './credentials-cipher';
import { SealedCredentialsEntity } from './sealed-credentials.entity';

@Injectable()
export class CredentialsStore {
  constructor(@Inject(CredentialsCipher) private readonly cipher: CredentialsCipher) {}

  async save(manager: EntityManager, connectionId: string, credentials: BrokerCredentials): Promise<void> {
    await manager
      .getRepository(SealedCredentialsEntity)
      .insert({ connectionId, ...this.cipher.seal(connectionId, credentials) });
  }

  async load(manager: EntityManager, connectionId: string): Promise<BrokerCredentials | undefined> {
    const row = await manager.getRepository(SealedCredentialsEntity).findOneBy({ connectionId });
    return row ? this.cipher.open<BrokerCredentials>(connectionId, row) : undefined;
  }

  async erase(manager: EntityManager, connectionId: string): Promise<void> {
    await manager.getRepository(SealedCredentialsEntity).delete({ connectionId });
  }
}
