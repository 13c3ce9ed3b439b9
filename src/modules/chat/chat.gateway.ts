import { type OnGatewayDisconnect, MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { type ChatMarkerPayload, SocketClient, SocketGateway, type SocketIdentity, SocketUser } from '@app/realtime';
import { MAX_PAGE } from './chat-rules.js';
import { ChatsService } from './chats.service.js';
import { SocketHistoryDto, SocketMarkerDto, SocketSendDto, SocketSyncDto, SocketTypingDto } from './dto/socket.dto.js';
import type { MessageView } from './message-view.js';
import { type MessagePage, MessageReader, type SyncResult } from './message-reader.service.js';
import { MessageSender } from './message-sender.service.js';
import { TypingService } from './typing.service.js';

const lower = (id: string | undefined): string | undefined => id?.toLowerCase();

/** The chat socket events (thin: payload -> service); every one re-checks participation and the connection. */
@SocketGateway()
export class ChatGateway implements OnGatewayDisconnect {
  constructor(
    private readonly chats: ChatsService,
    private readonly sender: MessageSender,
    private readonly reader: MessageReader,
    private readonly typingService: TypingService,
  ) {}

  /** Ack: the stored message (id, chatId, seq, createdAt, ...), sent only once it is durably stored. */
  @SubscribeMessage('chat:send')
  async send(@SocketUser() user: SocketIdentity, @SocketClient() socket: Socket, @MessageBody() dto: SocketSendDto): Promise<MessageView> {
    const target = { chatId: lower(dto.chatId), peerId: lower(dto.peerId) };
    const { message } = await this.sender.send(user.userId, target, {
      clientMessageId: dto.clientMessageId,
      text: dto.text,
      replyTo: lower(dto.replyTo),
      originSocketId: socket.id,
    });
    return message;
  }

  @SubscribeMessage('message:delivered')
  delivered(@SocketUser() user: SocketIdentity, @MessageBody() dto: SocketMarkerDto): Promise<ChatMarkerPayload> {
    return this.chats.mark(user.userId, dto.chatId.toLowerCase(), 'delivered', dto.upToSeq);
  }

  @SubscribeMessage('message:seen')
  seen(@SocketUser() user: SocketIdentity, @MessageBody() dto: SocketMarkerDto): Promise<ChatMarkerPayload> {
    return this.chats.mark(user.userId, dto.chatId.toLowerCase(), 'seen', dto.upToSeq);
  }

  @SubscribeMessage('chat:history')
  history(@SocketUser() user: SocketIdentity, @MessageBody() dto: SocketHistoryDto): Promise<MessagePage> {
    return this.reader.history(user.userId, dto.chatId.toLowerCase(), { before: dto.beforeSeq, limit: dto.limit });
  }

  @SubscribeMessage('chat:sync')
  sync(@SocketUser() user: SocketIdentity, @MessageBody() dto: SocketSyncDto): Promise<SyncResult> {
    const cursors = Object.fromEntries(Object.entries(dto.cursors ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    return this.reader.sync(user.userId, cursors, dto.limit ?? MAX_PAGE);
  }

  @SubscribeMessage('chat:typing')
  typing(
    @SocketUser() user: SocketIdentity,
    @SocketClient() socket: Socket,
    @MessageBody() dto: SocketTypingDto,
  ): Promise<{ chatId: string; typing: boolean }> {
    return this.typingService.update(socket.id, user.userId, { chatId: lower(dto.chatId), peerId: lower(dto.peerId) }, dto.typing);
  }

  handleDisconnect(socket: Socket): void {
    this.typingService.socketClosed(socket.id);
  }
}
