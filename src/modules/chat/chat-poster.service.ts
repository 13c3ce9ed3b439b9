import { Injectable } from '@nestjs/common';
import { ChatPoster, type PostedMessage, type PostMessageInput } from '@app/common';
import { MessagesService } from './messages.service.js';

/** The chat module's ChatPoster (bound globally): calls and status post into 1-1 chats through it. */
@Injectable()
export class ChatPosterService extends ChatPoster {
  constructor(private readonly messages: MessagesService) {
    super();
  }

  async post(senderId: string, peerId: string, input: PostMessageInput): Promise<PostedMessage> {
    const { message, created } = await this.messages.post(senderId.toLowerCase(), peerId.toLowerCase(), input);
    return { messageId: message.id, chatId: message.chatId, seq: message.seq, created };
  }
}
