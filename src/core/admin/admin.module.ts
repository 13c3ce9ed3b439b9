import { BullBoardModule, InjectBullBoard } from '@bull-board/nestjs';
import type { BullBoardInstance } from '@bull-board/nestjs';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { getQueueToken } from '@nestjs/bullmq';
import { type DynamicModule, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { AppConfig } from '../../config/index.js';
import { registeredQueueNames } from '../queue/index.js';
import { basicAuth } from './basic-auth.js';

export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';

/** Lists every queue a module registered (registerQueue), so a new module's queue appears without editing this file. */
@Injectable()
class QueueDashboardQueues implements OnModuleInit {
  constructor(
    @InjectBullBoard() private readonly board: BullBoardInstance,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    for (const name of registeredQueueNames()) {
      this.board.addQueue(new BullMQAdapter(this.moduleRef.get<Queue>(getQueueToken(name), { strict: false })));
    }
  }
}

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
      ],
      providers: [QueueDashboardQueues],
    };
  }
}
