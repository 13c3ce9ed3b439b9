import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ChatMuteRepository } from './chat-mute.repository.js';
import { ChatMuteService } from './chat-mute.service.js';
import { MessageRepository } from './message.repository.js';
import { SeqCounters } from './seq-counters.js';
import { Chat, ChatSchema } from './schemas/chat.schema.js';
import { Message, MessageSchema } from './schemas/message.schema.js';

/**
 * Mute state and unread figures without the rest of chat (no sockets, no send path), so the worker's
 * notification processor can import it; ChatModule imports it for the mute routes.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Chat.name, schema: ChatSchema },
      { name: Message.name, schema: MessageSchema },
    ]),
  ],
  providers: [ChatMuteRepository, MessageRepository, SeqCounters, ChatMuteService],
  exports: [ChatMuteService],
})
export class ChatMuteModule {}
