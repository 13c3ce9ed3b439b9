import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ProfileModule } from '../profile/index.js';
import { ChatAccessService } from './chat-access.service.js';
import { ChatGateway } from './chat.gateway.js';
import { ChatMuteController } from './chat-mute.controller.js';
import { ChatMuteModule } from './chat-mute.module.js';
import { ChatRepository } from './chat.repository.js';
import { ChatsController } from './chats.controller.js';
import { ChatsService } from './chats.service.js';
import { InflightSends } from './inflight-sends.js';
import { MessageRepository } from './message.repository.js';
import { MessagesController } from './messages.controller.js';
import { MessagesService } from './messages.service.js';
import { PeerViews } from './peer-views.js';
import { Chat, ChatSchema } from './schemas/chat.schema.js';
import { Message, MessageSchema } from './schemas/message.schema.js';
import { TypingService } from './typing.service.js';

/**
 * One-to-one chat on the delivery contract (docs/chat.md). Uses ProfileService, ContactDirectory and
 * PresenceDirectory (the last two bound globally by connections and presence) and RealtimeEmitter;
 * nothing imports chat, so there is no cycle.
 */
@Module({
  imports: [
    ProfileModule,
    ChatMuteModule,
    MongooseModule.forFeature([
      { name: Chat.name, schema: ChatSchema },
      { name: Message.name, schema: MessageSchema },
    ]),
  ],
  controllers: [ChatsController, MessagesController, ChatMuteController],
  providers: [
    ChatRepository,
    MessageRepository,
    ChatAccessService,
    InflightSends,
    MessagesService,
    ChatsService,
    TypingService,
    PeerViews,
    ChatGateway,
  ],
  exports: [ChatsService, MessagesService],
})
export class ChatModule {}
