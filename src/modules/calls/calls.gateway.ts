import { MessageBody, type OnGatewayDisconnect, SubscribeMessage } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { SocketClient, SocketGateway, type SocketIdentity, SocketUser } from '@app/realtime';
import { type CallStateView, CallsService, type Device } from './calls.service.js';
import {
  CallAcceptDto,
  CallCandidatesDto,
  CallEndDto,
  CallIdDto,
  CallInviteDto,
  CallNegotiateDto,
  CallRejectDto,
} from './dto/socket.dto.js';

const device = (user: SocketIdentity, socket: Socket): Device => ({ userId: user.userId, socketId: socket.id });

/** The call signaling events (thin: payload -> service, which checks party, device and state). */
@SocketGateway()
export class CallsGateway implements OnGatewayDisconnect {
  constructor(private readonly calls: CallsService) {}

  @SubscribeMessage('call:invite')
  invite(
    @SocketUser() user: SocketIdentity,
    @SocketClient() socket: Socket,
    @MessageBody() dto: CallInviteDto,
  ): Promise<{ callId: string; expiresAt: string }> {
    return this.calls.invite(device(user, socket), dto);
  }

  @SubscribeMessage('call:accept')
  accept(@SocketUser() user: SocketIdentity, @SocketClient() socket: Socket, @MessageBody() dto: CallAcceptDto): Promise<CallStateView> {
    return this.calls.accept(device(user, socket), dto);
  }

  @SubscribeMessage('call:reject')
  reject(@SocketUser() user: SocketIdentity, @SocketClient() socket: Socket, @MessageBody() dto: CallRejectDto): Promise<null> {
    return this.calls.reject(device(user, socket), dto);
  }

  @SubscribeMessage('call:cancel')
  cancel(@SocketUser() user: SocketIdentity, @SocketClient() socket: Socket, @MessageBody() dto: CallIdDto): Promise<null> {
    return this.calls.cancel(device(user, socket), dto);
  }

  @SubscribeMessage('call:ice-candidate')
  candidates(
    @SocketUser() user: SocketIdentity,
    @SocketClient() socket: Socket,
    @MessageBody() dto: CallCandidatesDto,
  ): Promise<{ relayed: boolean }> {
    return this.calls.candidates(device(user, socket), dto);
  }

  @SubscribeMessage('call:negotiate')
  negotiate(@SocketUser() user: SocketIdentity, @SocketClient() socket: Socket, @MessageBody() dto: CallNegotiateDto): Promise<null> {
    return this.calls.negotiate(device(user, socket), dto);
  }

  @SubscribeMessage('call:end')
  end(
    @SocketUser() user: SocketIdentity,
    @SocketClient() socket: Socket,
    @MessageBody() dto: CallEndDto,
  ): Promise<{ callId: string; durationMs: number }> {
    return this.calls.end(device(user, socket), dto);
  }

  @SubscribeMessage('call:resume')
  resume(@SocketUser() user: SocketIdentity, @SocketClient() socket: Socket, @MessageBody() dto: CallIdDto): Promise<CallStateView> {
    return this.calls.resume(device(user, socket), dto.callId);
  }

  async handleDisconnect(socket: Socket): Promise<void> {
    await this.calls.socketClosed(socket.id);
  }
}
