import { Controller, Get, Header, Inject, SetMetadata } from '@nestjs/common';
import { contentType } from 'prom-client';
import { ServedByWorkers } from '../nest/process-role';
import { PUBLIC_ROUTE } from '../nest/public-route';
import { PrometheusInstrumentation } from './prometheus.instrumentation';

@Controller('metrics')
@SetMetadata(PUBLIC_ROUTE, true)
@ServedByWorkers()
export class MetricsController {
  constructor(
    @Inject(PrometheusInstrumentation) private readonly instrumentation: PrometheusInstrumentation,
  ) {}

  @Get()
  @Header('Content-Type', contentType)
  scrape(): Promise<string> {
    return this.instrumentation.registry.metrics();
  }
}
