import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { oid } from '@app/common';
import { Chat, type ChatRecord } from './schemas/chat.schema.js';

/** The chats collection as mute and the notification badge need it (per-participant `mutedUntil` map). */
@Injectable()
export class ChatMuteRepository {
  constructor(@InjectModel(Chat.name) private readonly chats: Model<Chat>) {}

  /** The chat if `userId` takes part in it (`_id` lookup; the participant check is the owner guard). */
  findForParticipant(chatId: string, userId: string): Promise<ChatRecord | null> {
    return this.chats
      .findOne({ _id: oid(chatId), participants: oid(userId) })
      .lean<ChatRecord>()
      .exec();
  }

  findByIds(chatIds: string[]): Promise<ChatRecord[]> {
    if (chatIds.length === 0) return Promise.resolve([]);
    return this.chats
      .find({ _id: { $in: chatIds.map(oid) } })
      .lean<ChatRecord[]>()
      .exec();
  }

  /** `$set` / `$unset` of `mutedUntil.<userId>`: the map keyed by user id, never an array. */
  async setMutedUntil(chatId: string, userId: string, until: Date | null): Promise<void> {
    const key = `mutedUntil.${userId}`;
    const change = until ? { $set: { [key]: until } } : { $unset: { [key]: '' } };
    await this.chats.collection.updateOne({ _id: oid(chatId), participants: oid(userId) }, change);
  }
}
