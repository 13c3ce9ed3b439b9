import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError } from '@app/common';
import { AppConfig } from '../../config/index.js';
import { decodeLogCursor, encodeLogCursor } from './call-rules.js';
import { CallsRepository } from './calls.repository.js';
import type { CallLogEntryDto, CallLogPageDto } from './dto/call-log.dto.js';
import type { CallRecord } from './schemas/call.schema.js';
import { iceServersFor, type IceServersView } from './turn-credentials.js';

/** The call log (REST) and the ICE servers a client needs before it calls. */
@Injectable()
export class CallLogService {
  constructor(
    private readonly repo: CallsRepository,
    private readonly config: AppConfig,
  ) {}

  async list(userId: string, cursor: string | undefined, limit: number): Promise<CallLogPageDto> {
    const rows = await this.repo.listFor(userId, decodeLogCursor(cursor), limit);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map((c) => entryOf(c, userId)),
      nextCursor: rows.length > limit && last ? encodeLogCursor({ createdAt: last.createdAt, id: last._id.toHexString() }) : null,
    };
  }

  async hide(userId: string, callId: string): Promise<void> {
    if (!(await this.repo.hideFor(userId, callId))) throw new AppError(HttpStatus.NOT_FOUND, 'call_not_found', 'No such call in your log');
  }

  iceServers(userId: string): IceServersView {
    return iceServersFor(this.config.calls.turn, userId);
  }
}

function entryOf(c: CallRecord, userId: string): CallLogEntryDto {
  const outgoing = c.callerId === userId;
  return {
    id: c._id.toHexString(),
    peerId: outgoing ? c.calleeId : c.callerId,
    direction: outgoing ? 'outgoing' : 'incoming',
    kind: c.kind,
    outcome: c.outcome ?? 'failed',
    endReason: c.endReason ?? 'hangup',
    durationMs: c.durationMs,
    startedAt: c.createdAt.toISOString(),
    answeredAt: c.answeredAt?.toISOString() ?? null,
    endedAt: (c.endedAt ?? c.updatedAt).toISOString(),
  };
}
