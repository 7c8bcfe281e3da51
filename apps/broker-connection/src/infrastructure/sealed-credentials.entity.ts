import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per connection: AES-256-GCM ciphertext and the id of the key that sealed it, never plaintext. */
@Entity({ name: 'connection_credentials' })
export class SealedCredentialsEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'uuid' })
  connectionId!: string;

  @Column({ name: 'key_id', type: 'text' })
  keyId!: string;

  @Column({ type: 'bytea' })
  iv!: Buffer;

  @Column({ name: 'auth_tag', type: 'bytea' })
  authTag!: Buffer;

  @Column({ type: 'bytea' })
  ciphertext!: Buffer;

  @Column({ name: 'sealed_at', type: 'timestamptz', default: () => 'now()' })
  sealedAt!: Date;
}
