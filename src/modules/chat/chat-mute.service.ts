import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError, ContactDirectory, chatIdFor } from '@app/common';
import { ChatMuteRepository } from './chat-mute.repository.js';
import { MessageRepository, type UnreadQuery } from './message.repository.js';
import type { ChatRecord } from './schemas/chat.schema.js';
import { SeqCounters } from './seq-counters.js';

/** "Muted forever" is stored as a far-future end, so one comparison (`mutedUntil > now`) covers both. */
export const MUTED_FOREVER = new Date('9999-12-31T23:59:59.000Z');

export interface ChatMuteView {
  chatId: string;
  muted: boolean;
  /** When the mute ends (ISO); null when not muted or muted forever. */
  mutedUntil: string | null;
  forever: boolean;
}

/**
 * Per-chat mute (a muted chat still counts unread but does not push) and the unread figures push
 * notifications carry. Unread per chat is the chat module's rule (chat-rules.ts `isUnread`, counted by
 * MessageRepository.unreadCounts): the peer's messages above max(seen, cleared), not deleted or hidden.
 */
@Injectable()
export class ChatMuteService {
  constructor(
    private readonly chats: ChatMuteRepository,
    private readonly messages: MessageRepository,
    private readonly contacts: ContactDirectory,
    private readonly counters: SeqCounters,
  ) {}

  async mute(userId: string, chatId: string, end: { until?: Date; forever?: boolean }, now = new Date()): Promise<ChatMuteView> {
    if (Boolean(end.forever) === Boolean(end.until)) {
      throw new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', 'Give exactly one of until or forever', {
        fields: { until: ['exactly one of until or forever is required'] },
      });
    }
    if (end.until && end.until.getTime() <= now.getTime()) {
      throw new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', 'until must be in the future', {
        fields: { until: ['until must be in the future'] },
      });
    }
    await this.requireParticipant(userId, chatId);
    const until = end.forever ? MUTED_FOREVER : end.until!;
    await this.chats.setMutedUntil(chatId, userId, until);
    return view(chatId, until, now);
  }

  async unmute(userId: string, chatId: string): Promise<ChatMuteView> {
    await this.requireParticipant(userId, chatId);
    await this.chats.setMutedUntil(chatId, userId, null);
    return view(chatId, null, new Date());
  }

  async isMuted(userId: string, chatId: string, at: Date = new Date()): Promise<boolean> {
    const chat = await this.chats.findForParticipant(chatId, userId);
    return mutedAt(chat, userId, at);
  }

  /** Exact unread messages across the user's chats with their connections (those `GET /chats` lists). */
  async unreadTotal(userId: string, options: { excludeMuted: boolean }, at: Date = new Date()): Promise<number> {
    const contacts = await this.contacts.contactIdsOf(userId);
    const chats = await this.chats.findByIds(contacts.map((peerId) => chatIdFor(userId, peerId)));
    const counted = options.excludeMuted ? chats.filter((c) => !mutedAt(c, userId, at)) : chats;
    const counts = await this.unreadCounts(userId, counted);
    return [...counts.values()].reduce((sum, n) => sum + n, 0);
  }

  /** Exact unread messages of one chat for a participant (0 when not a participant). */
  async unreadIn(userId: string, chatId: string): Promise<number> {
    const chat = await this.chats.findForParticipant(chatId, userId);
    return chat ? ((await this.unreadCounts(userId, [chat])).get(chatId) ?? 0) : 0;
  }

  private async unreadCounts(userId: string, stored: ChatRecord[]): Promise<Map<string, number>> {
    // The summary's lastSeq may lag the newest message (ChatSummaryWriter): the counters do not.
    const chats = await this.counters.overlay(stored);
    const from = (c: ChatRecord): number => Math.max(c.seen?.[userId] ?? 0, c.cleared?.[userId] ?? 0);
    const queries: UnreadQuery[] = chats
      .filter((c) => c.lastSeq > from(c))
      .map((c) => ({
        chatId: c._id.toHexString(),
        peerId: c.participants.map((p) => p.toHexString()).find((p) => p !== userId) ?? userId,
        aboveSeq: from(c),
      }));
    return this.messages.unreadCounts(userId, queries);
  }

  private async requireParticipant(userId: string, chatId: string): Promise<void> {
    if (!(await this.chats.findForParticipant(chatId, userId))) {
      throw new AppError(HttpStatus.NOT_FOUND, 'chat_not_found', 'Chat not found');
    }
  }
}

function mutedAt(chat: ChatRecord | null, userId: string, at: Date): boolean {
  const until = chat?.mutedUntil?.[userId];
  return until !== undefined && until !== null && new Date(until).getTime() > at.getTime();
}

function view(chatId: string, until: Date | null, now: Date): ChatMuteView {
  const muted = until !== null && until.getTime() > now.getTime();
  const forever = muted && until.getTime() >= MUTED_FOREVER.getTime();
  return { chatId, muted, mutedUntil: muted && !forever ? until.toISOString() : null, forever };
}
