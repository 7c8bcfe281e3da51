import { bootstrapService } from '@tradecore/eventing/nest';
import { SampleAppModule } from './sample-app.module';

void bootstrapService(() => SampleAppModule.forRoot(process.env.SAMPLE_SCHEMA ?? 'sample'));
