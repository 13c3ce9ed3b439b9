import { type DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { registerQueue } from '../../core/queue/index.js';
import { ChatMuteModule } from '../chat/index.js';
import { ConnectedDevicesModule } from '../presence/index.js';
import { FanoutService } from './fanout.service.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsGateway } from './notifications.gateway.js';
import { NotificationsQueue } from './notifications.jobs.js';
import { NotificationsListener } from './notifications.listener.js';
import { NotificationsProcessor } from './notifications.processor.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';
import { PreferencesRepository } from './preferences.repository.js';
import { PreferencesService } from './preferences.service.js';
import { PushDevicesController } from './push-devices.controller.js';
import { PushDevicesRepository } from './push-devices.repository.js';
import { PushDevicesService } from './push-devices.service.js';
import { ApnsProvider } from './push/apns.provider.js';
import { FcmProvider } from './push/fcm.provider.js';
import { PushProviders } from './push/push-providers.js';
import { WebPushProvider } from './push/web-push.provider.js';
import { NotificationPreferences, NotificationPreferencesSchema } from './schemas/notification-preferences.schema.js';
import { Notification, NotificationSchema } from './schemas/notification.schema.js';
import { PushDevice, PushDeviceSchema } from './schemas/push-device.schema.js';

const models = MongooseModule.forFeature([
  { name: Notification.name, schema: NotificationSchema },
  { name: PushDevice.name, schema: PushDeviceSchema },
  { name: NotificationPreferences.name, schema: NotificationPreferencesSchema },
]);
const queue = registerQueue(NotificationsQueue.Notifications);
const shared = [
  NotificationsRepository,
  PushDevicesRepository,
  PreferencesRepository,
  NotificationsService,
  WebPushProvider,
  FcmProvider,
  ApnsProvider,
  PushProviders,
];

/**
 * In-app notifications and push (docs/notifications.md). The api hears domain events and enqueues;
 * the worker stores, emits in-app (through the Redis adapter) and pushes.
 */
@Module({})
export class NotificationsModule {
  static forApi(): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [models, queue, ConnectedDevicesModule],
      controllers: [NotificationsController, PushDevicesController],
      providers: [...shared, PreferencesService, PushDevicesService, NotificationsListener, NotificationsGateway],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [models, queue, ChatMuteModule, ConnectedDevicesModule],
      providers: [...shared, NotificationsListener, FanoutService, NotificationsProcessor],
    };
  }
}
