import { HttpStatus } from '@nestjs/common';
import { AppError, type CallMessageInfo, isObjectId, type PostMessageInput } from '@app/common';
import { normaliseText } from './chat-rules.js';
import type { MessageType, StoredStatusRef } from './schemas/message.schema.js';

/** A message about to be stored, whoever sends it (a user's send, or ChatPoster for calls and status). */
export interface Draft {
  clientMessageId: string;
  type: MessageType;
  text: string | null;
  replyTo?: string;
  call?: CallMessageInfo | null;
  statusRef?: StoredStatusRef | null;
  /** The socket the send came over: it gets the ack, so `chat:receive` skips it (REST, ChatPoster: none). */
  originSocketId?: string;
}

const CLIENT_MESSAGE_ID = /^[A-Za-z0-9_:-]{1,64}$/;
const CALL_KINDS: ReadonlySet<string> = new Set(['audio', 'video']);
const CALL_OUTCOMES: ReadonlySet<string> = new Set(['answered', 'missed', 'rejected', 'busy', 'cancelled', 'failed']);
const STATUS_KINDS: ReadonlySet<string> = new Set(['text', 'image', 'video']);
const MAX_QUOTED_STATUS_TEXT = 1024;

const invalid = (message: string): AppError => new AppError(HttpStatus.BAD_REQUEST, 'invalid_post', message);

/**
 * What another module asks ChatPoster to post, checked as strictly as a user's DTO (the callers are
 * trusted code, but a bad value would be stored and shown to both users): a text needs 1-4096
 * characters; a call needs its call info and carries no text; a status quote needs its ids and expiry.
 */
export function postedDraft(input: PostMessageInput): Draft {
  if (!CLIENT_MESSAGE_ID.test(input.clientMessageId)) throw invalid('clientMessageId must be 1-64 characters of A-Z a-z 0-9 _ : -');
  const statusRef = input.statusRef ? storedStatusRef(input.statusRef) : null;
  if (input.type === 'call') {
    if (!input.call) throw invalid('a call message needs its call');
    return { clientMessageId: input.clientMessageId, type: 'call', text: null, call: callInfo(input.call), statusRef };
  }
  const text = normaliseText(input.text ?? '');
  if (text === null) throw invalid('text must be 1-4096 characters after trimming');
  return { clientMessageId: input.clientMessageId, type: 'text', text, call: null, statusRef };
}

function callInfo(call: CallMessageInfo): CallMessageInfo {
  if (!call.callId || call.callId.length > 64) throw invalid('call.callId is required');
  if (!CALL_KINDS.has(call.kind)) throw invalid('call.kind must be audio or video');
  if (!CALL_OUTCOMES.has(call.outcome)) throw invalid('call.outcome is not a call outcome');
  if (!Number.isSafeInteger(call.durationMs) || call.durationMs < 0) throw invalid('call.durationMs must be an integer >= 0');
  return { callId: call.callId, kind: call.kind, outcome: call.outcome, durationMs: call.durationMs };
}

function storedStatusRef(ref: NonNullable<PostMessageInput['statusRef']>): StoredStatusRef {
  const expiresAt = new Date(ref.expiresAt);
  if (!isObjectId(ref.id) || !isObjectId(ref.authorId)) throw invalid('statusRef ids must be object ids');
  if (ref.thumbnailMediaId !== null && !isObjectId(ref.thumbnailMediaId)) throw invalid('statusRef.thumbnailMediaId must be an object id');
  if (!STATUS_KINDS.has(ref.kind)) throw invalid('statusRef.kind must be text, image or video');
  if (Number.isNaN(expiresAt.getTime())) throw invalid('statusRef.expiresAt must be a date');
  const text = ref.text === null ? null : [...ref.text].slice(0, MAX_QUOTED_STATUS_TEXT).join('');
  return {
    id: ref.id.toLowerCase(),
    authorId: ref.authorId.toLowerCase(),
    kind: ref.kind,
    text,
    thumbnailMediaId: ref.thumbnailMediaId?.toLowerCase() ?? null,
    expiresAt,
  };
}
