import { BullBoardModule } from '@bull-board/nestjs';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../../config/index.js';
import { MediaQueue } from '../../modules/media/media.jobs.js';
import { QueueName } from '../queue/index.js';
import { basicAuth } from './basic-auth.js';

export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';

/**
 * Bull Board at /admin/queues behind basic auth. Without ADMIN_USER/ADMIN_PASSWORD the dashboard is
 * not mounted at all, so the route answers 404 like any unknown path.
 */
@Module({})
export class AdminModule {
  static register(config: AppConfig): DynamicModule {
    if (!config.admin) return { module: AdminModule };
    return {
      module: AdminModule,
      imports: [
        BullBoardModule.forRoot({
          route: QUEUE_DASHBOARD_ROUTE,
          adapter: ExpressAdapter,
          middleware: basicAuth(config.admin.user, config.admin.password),
          boardOptions: { uiConfig: { boardTitle: 'Messaging queues' } },
        }),
        ...[...Object.values(QueueName), MediaQueue.Media].map((name) => BullBoardModule.forFeature({ name, adapter: BullMQAdapter })),
      ],
    };
  }
}
