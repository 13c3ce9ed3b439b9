import { BullModule } from '@nestjs/bullmq';
import type { DynamicModule } from '@nestjs/common';

const names = new Set<string>();

/**
 * A module registers its own queue with this instead of BullModule.registerQueue: the name also lands
 * on the list the queue dashboard (core/admin) and the depth gauge (core/metrics) read when the app
 * starts, so a new module's queue shows up there without editing core. Registering one name from
 * several modules (api and worker variants) is harmless.
 */
export function registerQueue(name: string): DynamicModule {
  names.add(name);
  return BullModule.registerQueue({ name });
}

/** Every queue a loaded module registered. Read it after the modules are built (onModuleInit or later). */
export function registeredQueueNames(): string[] {
  return [...names].sort();
}
