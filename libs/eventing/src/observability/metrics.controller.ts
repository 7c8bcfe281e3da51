import { Controller, Get, Header, Inject } from '@nestjs/common';
import { contentType } from 'prom-client';
import { PrometheusInstrumentation } from './prometheus.instrumentation';

@Controller('metrics')
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
