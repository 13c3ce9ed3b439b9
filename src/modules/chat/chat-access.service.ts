import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError, ContactDirectory, chatIdFor } from '@app/common';
import { ChatRepository } from './chat.repository.js';
import type { ChatRecord } from './schemas/chat.schema.js';

/** A chat as seen by one of its participants. */
export interface ChatAccess {
  chatId: string;
  userId: string;
  peerId: string;
  participants: [string, string];
}

export const chatNotFound = (): AppError => new AppError(HttpStatus.NOT_FOUND, 'chat_not_found', 'Chat not found');
const notConnected = (): AppError =>
  new AppError(HttpStatus.FORBIDDEN, 'not_connected', 'You can only chat with your connections (and neither of you may block the other)');

const CACHE_LIMIT = 50_000;

/**
 * The check every chat route and event runs first: is the caller a participant (else 404, so chat ids
 * are not confirmed to strangers), and may the two interact now (connected, not blocked; else 403).
 * Reads of what a participant already has need participation only (`readChat`). Participants never
 * change, so they are cached here per process; the interaction check is cached by ContactDirectory
 * (per pair, invalidated across processes on every change), so `require` usually reads nothing.
 */
@Injectable()
export class ChatAccessService {
  private readonly participants = new Map<string, [string, string]>();

  constructor(
    private readonly chats: ChatRepository,
    private readonly contacts: ContactDirectory,
  ) {}

  /** By chat id: 404 for a non-participant, 403 when the pair may not interact. */
  async require(userId: string, chatId: string): Promise<ChatAccess> {
    const participants = await this.participantsOf(chatId);
    const access = participants ? this.accessFor(userId, chatId, participants) : null;
    if (!access) throw chatNotFound();
    if (!(await this.contacts.canInteract(userId, access.peerId))) throw notConnected();
    return access;
  }

  /**
   * Reading what the caller already has (the chat, its history, sync): participation only. After a
   * block or a removed connection both sides keep reading their history; writes go through `require`.
   */
  async readChat(userId: string, chatId: string): Promise<{ access: ChatAccess; chat: ChatRecord }> {
    const chat = await this.chats.findById(chatId);
    const participants = chat ? this.remember(chatId, chat) : null;
    const access = participants ? this.accessFor(userId, chatId, participants) : null;
    if (!chat || !access) throw chatNotFound();
    return { access, chat };
  }

  /** Whether the two participants may interact now (connected, neither blocking): what `canSend` shows. */
  canSend(access: ChatAccess): Promise<boolean> {
    return this.contacts.canInteract(access.userId, access.peerId);
  }

  /**
   * By peer id (a send or typing before the client knows the chat): the chat id follows from the pair,
   * so no read is needed; the chat itself may not exist yet.
   */
  async requirePeer(userId: string, peerId: string): Promise<ChatAccess> {
    if (peerId === userId) throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_peer', 'You cannot chat with yourself');
    if (!(await this.contacts.canInteract(userId, peerId))) throw notConnected();
    const participants = [userId, peerId].sort() as [string, string];
    return { chatId: chatIdFor(userId, peerId), userId, peerId, participants };
  }

  /** Exactly one of chatId / peerId (socket events that accept either). */
  resolve(userId: string, target: { chatId?: string; peerId?: string }): Promise<ChatAccess> {
    if (Boolean(target.chatId) === Boolean(target.peerId)) {
      throw new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', 'Give exactly one of chatId or peerId', {
        fields: { chatId: ['exactly one of chatId or peerId is required'] },
      });
    }
    return target.chatId ? this.require(userId, target.chatId) : this.requirePeer(userId, target.peerId as string);
  }

  /** The peers the user may send to now (connected, neither blocking). */
  async sendablePeers(userId: string): Promise<Set<string>> {
    return new Set(await this.contacts.contactIdsOf(userId));
  }

  forget(chatId: string): void {
    this.participants.delete(chatId);
  }

  /** A chat's two participants (cached: they never change), null when there is no such chat. */
  async participantsOf(chatId: string): Promise<[string, string] | null> {
    const cached = this.participants.get(chatId);
    if (cached) return cached;
    const chat = await this.chats.findById(chatId);
    return chat ? this.remember(chatId, chat) : null;
  }

  private remember(chatId: string, chat: ChatRecord): [string, string] {
    const pair = chat.participants.map((p) => p.toHexString()) as [string, string];
    if (this.participants.size >= CACHE_LIMIT) this.participants.clear();
    this.participants.set(chatId, pair);
    return pair;
  }

  private accessFor(userId: string, chatId: string, participants: [string, string]): ChatAccess | null {
    if (!participants.includes(userId)) return null;
    return { chatId, userId, peerId: participants[0] === userId ? participants[1] : participants[0], participants };
  }
}
