import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import { SocketGateway, type SocketIdentity, SocketUser } from '@app/realtime';
import { SocketProfileSyncDto } from './dto/sync.dto.js';
import { type ProfileSyncResult, ProfileSync } from './profile-sync.service.js';

/** The profile socket events (thin: payload -> service). */
@SocketGateway()
export class ProfileGateway {
  constructor(private readonly sync: ProfileSync) {}

  /** Ack: `{ profiles, cursor }`, the connections whose profile changed since `since`, privacy applied. */
  @SubscribeMessage('profile:sync')
  changed(@SocketUser() user: SocketIdentity, @MessageBody() dto: SocketProfileSyncDto): Promise<ProfileSyncResult> {
    return this.sync.changedFor(user.userId, dto.since);
  }
}
