import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { messageOf, withTimeout } from './with-timeout';

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
  ) {}

  async check(timeoutMs: number): Promise<HealthIndicatorResult> {
    const indicator = this.health.check('database');
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), timeoutMs, 'PostgreSQL');
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: messageOf(error) });
    }
  }
}
