import { Injectable, Logger, Optional } from '@nestjs/common';
import { ChatPoster, DomainEventBus } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { durationOf, socketField } from './call-rules.js';
import { CallStore, parseLiveMember } from './call-store.js';
import type { CallRole } from './calls.jobs.js';
import { CallsRepository } from './calls.repository.js';
import type { CallOutcome, CallRecord } from './schemas/call.schema.js';

/**
 * How a call ends, in whichever process ends it (api: hangup, reject, cancel, busy; worker: ring
 * timeout, connection lost): one conditional transition to `ended`, so exactly one ender wins; the
 * winner releases the locks, tells both parties and posts the call's chat message (idempotent on the
 * call id).
 */
@Injectable()
export class CallLifecycle {
  private readonly logger = new Logger(CallLifecycle.name);

  constructor(
    private readonly repo: CallsRepository,
    private readonly store: CallStore,
    private readonly emitter: RealtimeEmitter,
    private readonly events: DomainEventBus,
    // Bound by the chat module; a process without it (a worker built without chat) logs instead of posting.
    @Optional() private readonly chat: ChatPoster | null,
  ) {}

  /**
   * Ends `call` (as read) if it is still in the state it was read in (and matches `where`): the
   * winner's record, or null when another transition came first.
   */
  async finish(call: CallRecord, outcome: CallOutcome, reason: string, where: Record<string, unknown> = {}): Promise<CallRecord | null> {
    const endedAt = new Date();
    const ended = await this.repo.transition(call._id.toHexString(), call.state, where, {
      state: 'ended',
      outcome,
      endReason: reason,
      endedAt,
      durationMs: outcome === 'answered' ? durationOf(call, endedAt) : 0,
    });
    if (!ended) return null;
    await this.settle(ended);
    return ended;
  }

  /** The ring-timeout job: a call still ringing is missed; a no-op once answered or ended. */
  async ringTimeout(callId: string): Promise<void> {
    const call = await this.repo.findById(callId);
    if (!call || call.state !== 'ringing') return;
    const ended = await this.finish(call, 'missed', 'timeout');
    if (ended) {
      this.events.emit('call.missed', {
        callId,
        callerId: ended.callerId,
        calleeId: ended.calleeId,
        kind: ended.kind,
        at: (ended.endedAt ?? new Date()).toISOString(),
      });
    }
  }

  /** A grace period after an active device's socket closed: ends the call unless that party resumed on another socket. */
  async connectionCheck(callId: string, role: CallRole, socketId: string): Promise<void> {
    const call = await this.repo.findById(callId);
    if (!call || call.state === 'ended' || call[socketField(role)] !== socketId) return;
    await this.finish(call, call.state === 'active' ? 'answered' : 'failed', 'connection_lost', { [socketField(role)]: socketId });
  }

  /** A device whose process stopped heartbeating (kill -9): its call ends as a lost connection. */
  async lostProcess(member: string): Promise<void> {
    const parsed = parseLiveMember(member);
    const call = parsed ? await this.repo.findById(parsed.callId) : null;
    if (call && call.state !== 'ended') await this.finish(call, call.state === 'active' ? 'answered' : 'failed', 'connection_lost');
    await this.store.removeLive(member);
  }

  private async settle(call: CallRecord): Promise<void> {
    const callId = call._id.toHexString();
    const parties = [call.callerId, call.calleeId];
    await this.store.release(callId, parties);
    await this.store.clear(callId);
    switch (call.outcome) {
      case 'missed':
        this.emitter.toUsers(parties, 'call:missed', { callId });
        break;
      case 'rejected':
        this.emitter.toUsers(parties, 'call:rejected', { callId, reason: call.endReason === 'rejected' ? null : call.endReason });
        break;
      case 'cancelled':
        this.emitter.toUsers(parties, 'call:cancelled', { callId });
        break;
      case 'busy':
        this.emitter.toUser(call.callerId, 'call:busy', { callId });
        break;
      case 'answered':
      case 'failed':
      case null:
        this.emitter.toUsers(parties, 'call:ended', { callId, reason: call.endReason ?? 'hangup', durationMs: call.durationMs });
    }
    await this.postMessage(call);
  }

  /** The call in the 1-1 chat ("missed voice call"), from the caller; a retry finds the same message. */
  private async postMessage(call: CallRecord): Promise<void> {
    const callId = call._id.toHexString();
    if (!this.chat) {
      this.logger.warn({ callId }, 'calls: no ChatPoster bound in this process; the call message is not posted');
      return;
    }
    try {
      await this.chat.post(call.callerId, call.calleeId, {
        clientMessageId: `call-${callId}`,
        type: 'call',
        call: { callId, kind: call.kind, outcome: call.outcome ?? 'failed', durationMs: call.durationMs },
      });
    } catch (err) {
      // A block right after the call refuses the post: the call log still has it.
      this.logger.warn({ err, callId }, 'calls: could not post the call message');
    }
  }
}
