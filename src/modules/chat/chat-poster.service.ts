import { Injectable } from '@nestjs/common';
import { ChatPoster, type PostedMessage, type PostMessageInput } from '@app/common';
import { MessageSender } from './message-sender.service.js';

/** The chat module's ChatPoster (bound globally): calls and status post into 1-1 chats through it. */
@Injectable()
export class ChatPosterService extends ChatPoster {
  constructor(private readonly sender: MessageSender) {
    super();
  }

  async post(senderId: string, peerId: string, input: PostMessageInput): Promise<PostedMessage> {
    const { message, created } = await this.sender.post(senderId.toLowerCase(), peerId.toLowerCase(), input);
    return { messageId: message.id, chatId: message.chatId, seq: message.seq, created };
  }
}
