import { Injectable, Module } from '@nestjs/common';
import { PresenceStore } from './presence.store.js';

/**
 * "Is a device of this user connected right now?" for processes without sockets (the worker), read
 * from the same Redis state the api processes keep (PresenceStore). The api's PresenceDirectory answers
 * the same question (hasConnectedDevice).
 */
@Injectable()
export class ConnectedDevices {
  constructor(private readonly store: PresenceStore) {}

  any(userId: string): Promise<boolean> {
    return this.store.hasSockets(userId);
  }
}

/** Only the Redis reader: no heartbeat, no sweeping, no sockets (those stay in the api's PresenceModule). */
@Module({ providers: [PresenceStore, ConnectedDevices], exports: [ConnectedDevices] })
export class ConnectedDevicesModule {}
