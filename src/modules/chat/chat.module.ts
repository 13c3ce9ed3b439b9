import { type DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ChatPoster } from '@app/common';
import { ProfileModule } from '../profile/index.js';
import { ChatAccessService } from './chat-access.service.js';
import { ChatMedia } from './chat-media.js';
import { ChatMediaListener } from './chat-media.listener.js';
import { ChatPosterService } from './chat-poster.service.js';
import { ChatGateway } from './chat.gateway.js';
import { ChatMuteController } from './chat-mute.controller.js';
import { ChatMuteModule } from './chat-mute.module.js';
import { ChatRepository } from './chat.repository.js';
import { ChatSummaryWriter } from './chat-summary-writer.js';
import { ChatsController } from './chats.controller.js';
import { ChatsService } from './chats.service.js';
import { InflightSends } from './inflight-sends.js';
import { MarkerFlusher } from './marker-flusher.js';
import { MarkerStore } from './marker-store.js';
import { MessageBatchWriter } from './message-batch-writer.js';
import { MessageRepository } from './message.repository.js';
import { MessagesController } from './messages.controller.js';
import { MessageEditor } from './message-editor.service.js';
import { MessageReader } from './message-reader.service.js';
import { MessageRenderer } from './message-renderer.js';
import { MessageSender } from './message-sender.service.js';
import { PeerViews } from './peer-views.js';
import { SendSlots } from './send-slots.js';
import { SeqCounters } from './seq-counters.js';
import { Chat, ChatSchema } from './schemas/chat.schema.js';
import { Message, MessageSchema } from './schemas/message.schema.js';
import { TypingService } from './typing.service.js';
import { UnreadCounts } from './unread-counts.js';

const models = MongooseModule.forFeature([
  { name: Chat.name, schema: ChatSchema },
  { name: Message.name, schema: MessageSchema },
]);

/** What both processes need: storage, the access check and the send path behind ChatPoster. */
const sending = [
  ChatRepository,
  MessageRepository,
  MessageBatchWriter,
  ChatAccessService,
  InflightSends,
  SeqCounters,
  ChatSummaryWriter,
  SendSlots,
  ChatMedia,
  MessageRenderer,
  MessageSender,
  ChatPosterService,
  { provide: ChatPoster, useExisting: ChatPosterService },
];

/**
 * One-to-one chat on the delivery contract (docs/chat.md). Uses ProfileService, ContactDirectory and
 * PresenceDirectory (the last two bound globally by connections and presence), MediaDirectory (bound
 * globally by media) and RealtimeEmitter. Global so that calls and status can inject ChatPoster
 * without importing chat (which would be a cycle the day chat needs them).
 */
@Module({})
export class ChatModule {
  static forApi(): DynamicModule {
    return {
      module: ChatModule,
      global: true,
      imports: [ProfileModule, ChatMuteModule, models],
      controllers: [ChatsController, MessagesController, ChatMuteController],
      providers: [
        ...sending,
        MessageReader,
        MessageEditor,
        ChatsService,
        UnreadCounts,
        MarkerStore,
        MarkerFlusher,
        TypingService,
        PeerViews,
        ChatGateway,
      ],
      exports: [ChatPoster],
    };
  }

  /**
   * The worker posts too (a call that rang out is recorded by a job) and announces media that finished
   * processing (media.processed is emitted there): the send path and the editor, no routes or sockets.
   */
  static forWorker(): DynamicModule {
    return {
      module: ChatModule,
      global: true,
      imports: [models],
      providers: [...sending, MessageEditor, ChatMediaListener],
      exports: [ChatPoster],
    };
  }
}
