import { InjectQueue } from '@nestjs/bullmq';
import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppError, ContactDirectory, DomainEventBus, type DomainEvents, newObjectId, OnDomainEvent } from '@app/common';
import { type IceCandidatePayload, RealtimeEmitter } from '@app/realtime';
import { AppConfig } from '../../config/index.js';
import { CallDevices } from './call-liveness.js';
import { CallLifecycle } from './call-lifecycle.js';
import { byteLength, otherRole, roleOf, socketField, winsGlare } from './call-rules.js';
import { CallStore } from './call-store.js';
import { CallsJob, type CallsJobPayloads, CallsQueue, type CallRole, connectionCheckJobId } from './calls.jobs.js';
import { CallsRepository } from './calls.repository.js';
import type { CallAcceptDto, CallCandidatesDto, CallEndDto, CallInviteDto, CallNegotiateDto, CallRejectDto } from './dto/socket.dto.js';
import type { CallRecord } from './schemas/call.schema.js';

export interface Device {
  userId: string;
  socketId: string;
}

export interface CallStateView {
  callId: string;
  state: CallRecord['state'];
  role: CallRole;
  peerId: string;
  kind: CallRecord['kind'];
  answeredAt: string | null;
  /** Until when a ringing call rings. */
  expiresAt: string;
  /**
   * The other side's session description as of the answer: the offer for the callee, the answer for the
   * caller (null while ringing). Lets a device that missed call:incoming / call:accepted catch up.
   */
  remoteSdp: string | null;
  /** Candidates the other party sent while this device had none, in order: add them now. */
  candidates: IceCandidatePayload[];
}

const notFound = (): AppError => new AppError(HttpStatus.NOT_FOUND, 'call_not_found', 'No such call');
const ended = (): AppError => new AppError(HttpStatus.CONFLICT, 'call_ended', 'The call is over');

/**
 * Call signaling (api process): every event re-checks that the sender is a party of the call, and for
 * candidates, renegotiation and hangup that it is that party's active device. Transitions are atomic in
 * MongoDB (CallsRepository.transition), one-call-per-user and the candidate hand-over in Redis (CallStore).
 */
@Injectable()
export class CallsService {
  private readonly logger = new Logger(CallsService.name);

  constructor(
    private readonly repo: CallsRepository,
    private readonly store: CallStore,
    private readonly lifecycle: CallLifecycle,
    private readonly devices: CallDevices,
    private readonly contacts: ContactDirectory,
    private readonly emitter: RealtimeEmitter,
    private readonly events: DomainEventBus,
    private readonly config: AppConfig,
    @InjectQueue(CallsQueue.Calls) private readonly queue: Queue<CallsJobPayloads[CallsJob], unknown, CallsJob>,
  ) {}

  async invite(from: Device, dto: CallInviteDto): Promise<{ callId: string; expiresAt: string }> {
    const peerId = dto.peerId.toLowerCase();
    if (peerId === from.userId) throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_peer', 'You cannot call yourself');
    this.checkSdp(dto.sdp);
    if (!(await this.contacts.canInteract(from.userId, peerId))) throw notConnected();
    const retryAfterSeconds = await this.store.countInvite(from.userId, this.config.calls.invitesPerMinute);
    if (retryAfterSeconds > 0)
      throw new AppError(HttpStatus.TOO_MANY_REQUESTS, 'rate_limited', 'Too many calls; try again later', { retryAfterSeconds });

    const now = new Date();
    const call = await this.repo.insert({
      _id: newObjectId(),
      callerId: from.userId,
      calleeId: peerId,
      kind: dto.kind,
      callerSocketId: from.socketId,
      offerSdp: dto.sdp,
      expiresAt: new Date(now.getTime() + this.config.calls.ringTimeoutMs),
    });
    const callId = call._id.toHexString();
    const view = { callId, expiresAt: call.expiresAt.toISOString() };
    try {
      if (!(await this.lockParties(call))) return view; // busy: logged, the caller got call:busy
    } catch (err) {
      await this.repo.deleteById(callId);
      throw err;
    }

    try {
      await this.store.attach(callId, 'caller', from.socketId);
      await this.devices.track(from.socketId, callId, 'caller');
      await this.queue.add(CallsJob.RingTimeout, { callId }, { jobId: callId, delay: this.config.calls.ringTimeoutMs });
    } catch (err) {
      // Without its ring timeout the call would hold both users' locks until someone hangs up.
      await this.lifecycle.finish(call, 'failed', 'setup_failed').catch(() => null);
      throw err;
    }
    this.emitter.toUser(peerId, 'call:incoming', { callId, from: from.userId, kind: dto.kind, sdp: dto.sdp, expiresAt: view.expiresAt });
    this.events.emit('call.incoming', { callId, callerId: from.userId, calleeId: peerId, kind: dto.kind, expiresAt: view.expiresAt });
    return view;
  }

  /**
   * Takes the one-call-per-user lock of both parties. False when the callee is busy (the call is then
   * ended as busy). Throws when the caller is in another call, or on glare lost. A lock whose call is
   * over (its process died mid-cleanup) is released and taken.
   */
  private async lockParties(call: CallRecord): Promise<boolean> {
    const callId = call._id.toHexString();
    const { callerId, calleeId } = call;
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const res = await this.store.acquire(callerId, calleeId, callId);
      if (res.ok) return true;
      const holder = await this.repo.findById(res.holder);
      if (!holder || holder.state === 'ended') {
        await this.store.release(res.holder, [callerId, calleeId]);
        continue;
      }
      if (holder.callerId === calleeId && holder.calleeId === callerId && holder.state === 'ringing') {
        // Glare: the peer's invite to us is ringing. One call survives, by the caller ids.
        if (!winsGlare(callerId, calleeId)) {
          throw new AppError(
            HttpStatus.CONFLICT,
            'call_glare',
            `The other party is calling you at the same time: answer their call ${res.holder}`,
          );
        }
        if (
          await this.repo.transition(
            res.holder,
            'ringing',
            {},
            { state: 'ended', outcome: 'cancelled', endReason: 'glare', endedAt: new Date() },
          )
        ) {
          await this.store.release(res.holder, [callerId, calleeId]);
          await this.store.clear(res.holder);
          await this.repo.deleteById(res.holder); // replaced, not a call anyone made: not in the log or the chat
          this.emitter.toUsers([callerId, calleeId], 'call:ended', { callId: res.holder, reason: 'glare', durationMs: 0 });
        }
        continue;
      }
      if (res.busy === 'caller') throw new AppError(HttpStatus.CONFLICT, 'already_in_call', 'You are already in a call');
      await this.lifecycle.finish(call, 'busy', 'busy');
      return false;
    }
    throw new AppError(HttpStatus.CONFLICT, 'call_conflict', 'The call could not be set up; try again');
  }

  async accept(by: Device, dto: CallAcceptDto): Promise<CallStateView> {
    const call = await this.partyCall(by.userId, dto.callId);
    if (roleOf(call, by.userId) !== 'callee') throw new AppError(HttpStatus.FORBIDDEN, 'not_callee', 'Only the callee can answer');
    this.checkSdp(dto.sdp);
    if (!(await this.contacts.canInteract(call.callerId, call.calleeId))) throw notConnected();
    const now = new Date();
    const won = await this.repo.transition(
      dto.callId,
      'ringing',
      { calleeSocketId: null, expiresAt: { $gt: now } },
      { state: 'active', calleeSocketId: by.socketId, answerSdp: dto.sdp, answeredAt: now },
    );
    if (!won) {
      const fresh = await this.repo.findById(dto.callId);
      if (fresh?.state === 'active')
        throw new AppError(HttpStatus.CONFLICT, 'call_already_answered', 'The call was answered on another device');
      throw new AppError(HttpStatus.CONFLICT, 'call_not_ringing', 'The call is no longer ringing');
    }
    const candidates = await this.store.attach(dto.callId, 'callee', by.socketId);
    await this.devices.track(by.socketId, dto.callId, 'callee');
    this.emitter.toSocket(won.callerSocketId, 'call:accepted', { callId: dto.callId, sdp: dto.sdp });
    this.emitter.toUsers([by.userId], 'call:answered-elsewhere', { callId: dto.callId }, { exceptSocketId: by.socketId });
    return this.view(won, by.userId, candidates);
  }

  async reject(by: Device, dto: CallRejectDto): Promise<null> {
    const call = await this.partyCall(by.userId, dto.callId);
    if (roleOf(call, by.userId) !== 'callee')
      throw new AppError(HttpStatus.FORBIDDEN, 'not_callee', 'Only the callee can reject; the caller cancels');
    if (call.state !== 'ringing' || !(await this.lifecycle.finish(call, 'rejected', dto.reason ?? 'rejected'))) throw notRinging();
    return null;
  }

  async cancel(by: Device, dto: { callId: string }): Promise<null> {
    const call = await this.partyCall(by.userId, dto.callId);
    if (roleOf(call, by.userId) !== 'caller')
      throw new AppError(HttpStatus.FORBIDDEN, 'not_caller', 'Only the caller can cancel; the callee rejects');
    if (call.state !== 'ringing' || !(await this.lifecycle.finish(call, 'cancelled', 'cancelled'))) throw notRinging();
    return null;
  }

  async candidates(by: Device, dto: CallCandidatesDto): Promise<{ relayed: boolean }> {
    if (dto.candidates.length > this.config.calls.maxCandidatesPerEvent) {
      throw new AppError(
        HttpStatus.PAYLOAD_TOO_LARGE,
        'too_many_candidates',
        `At most ${this.config.calls.maxCandidatesPerEvent} candidates per event`,
      );
    }
    const { call, role } = await this.activeDevice(by, dto.callId);
    const candidates = dto.candidates.map((c) => ({ ...c }));
    const target = await this.store.relay(dto.callId, otherRole(role), candidates);
    if (target === 'full')
      throw new AppError(
        HttpStatus.TOO_MANY_REQUESTS,
        'too_many_held_candidates',
        'The other side has not answered; too many candidates held',
      );
    if (target === 'held') return { relayed: false };
    this.emitter.toSocket(target.socketId, 'call:ice-candidate', { callId: call._id.toHexString(), candidates });
    return { relayed: true };
  }

  async negotiate(by: Device, dto: CallNegotiateDto): Promise<null> {
    this.checkSdp(dto.sdp);
    const { call, role } = await this.activeDevice(by, dto.callId);
    if (call.state !== 'active') throw new AppError(HttpStatus.CONFLICT, 'call_not_active', 'Renegotiation needs an answered call');
    const target = await this.store.routeOf(dto.callId, otherRole(role));
    if (!target) throw new AppError(HttpStatus.CONFLICT, 'peer_unavailable', 'The other side is reconnecting; try again');
    this.emitter.toSocket(target, 'call:negotiate', { callId: dto.callId, type: dto.type, sdp: dto.sdp });
    return null;
  }

  /** Hangup. While ringing it is the caller's cancel or the callee's reject (Matrix's m.call.hangup covers both). */
  async end(by: Device, dto: CallEndDto): Promise<{ callId: string; durationMs: number }> {
    const call = await this.partyCall(by.userId, dto.callId);
    const role = roleOf(call, by.userId)!;
    if (call.state === 'ringing') {
      if (role === 'callee') await this.reject(by, dto);
      else await this.cancel(by, dto);
      return { callId: dto.callId, durationMs: 0 };
    }
    await this.activeDevice(by, dto.callId, call);
    const done = await this.lifecycle.finish(call, 'answered', dto.reason ?? 'hangup', { [socketField(role)]: by.socketId });
    if (!done) throw ended();
    return { callId: dto.callId, durationMs: done.durationMs };
  }

  /**
   * A party's new socket takes over its side of the call after a reconnect (within the grace). A callee
   * device while the call rings only learns the call (it has no side to take over yet: it accepts).
   */
  async resume(by: Device, callId: string): Promise<CallStateView> {
    const call = await this.partyCall(by.userId, callId);
    const role = roleOf(call, by.userId)!;
    if (call.state === 'ended') throw ended();
    if (role === 'callee' && call.state === 'ringing') return this.view(call, by.userId, []);
    const resumed = await this.repo.transition(callId, call.state, {}, { [socketField(role)]: by.socketId });
    if (!resumed) throw ended();
    const candidates = await this.store.attach(callId, role, by.socketId);
    await this.devices.track(by.socketId, callId, role);
    return this.view(resumed, by.userId, candidates);
  }

  /** A socket closed: each call it was the active device of ends after the grace unless resumed. */
  async socketClosed(socketId: string): Promise<void> {
    for (const { callId, role } of this.devices.closed(socketId)) {
      await this.store.detach(callId, role, socketId);
      await this.queue.add(
        CallsJob.ConnectionCheck,
        { callId, role, socketId },
        { jobId: connectionCheckJobId(callId, socketId), delay: this.config.calls.reconnectGraceMs },
      );
    }
  }

  /** A block or removed connection ends their ringing or active call. */
  @OnDomainEvent('connection.removed')
  async connectionRemoved({ a, b }: DomainEvents['connection.removed']): Promise<void> {
    try {
      for (const call of await this.repo.findLiveBetween(a, b)) {
        await this.lifecycle.finish(call, call.state === 'active' ? 'answered' : 'failed', 'not_connected');
      }
    } catch (err) {
      this.logger.warn({ err, a, b }, 'calls: could not end calls of a removed connection');
    }
  }

  @OnDomainEvent('user.deleted')
  async userDeleted({ userId }: DomainEvents['user.deleted']): Promise<void> {
    await this.repo.deleteOfUser(userId);
  }

  private async partyCall(userId: string, callId: string): Promise<CallRecord> {
    const call = await this.repo.findById(callId.toLowerCase());
    // Not a party: the same answer as no call at all, so call ids are not confirmed to strangers.
    if (!call || !roleOf(call, userId)) throw notFound();
    return call;
  }

  /** The call and the sender's role, if the sender is that role's active device of a call not yet over. */
  private async activeDevice(by: Device, callId: string, known?: CallRecord): Promise<{ call: CallRecord; role: CallRole }> {
    const call = known ?? (await this.partyCall(by.userId, callId));
    const role = roleOf(call, by.userId)!;
    if (call.state === 'ended') throw ended();
    if (call[socketField(role)] !== by.socketId)
      throw new AppError(HttpStatus.FORBIDDEN, 'not_active_device', 'This device is not the one in the call');
    return { call, role };
  }

  private checkSdp(sdp: string): void {
    if (byteLength(sdp) > this.config.calls.maxSdpBytes) {
      throw new AppError(HttpStatus.PAYLOAD_TOO_LARGE, 'sdp_too_large', `The SDP exceeds ${this.config.calls.maxSdpBytes} bytes`);
    }
  }

  private view(call: CallRecord, userId: string, candidates: IceCandidatePayload[]): CallStateView {
    const role = roleOf(call, userId)!;
    return {
      callId: call._id.toHexString(),
      state: call.state,
      role,
      peerId: role === 'caller' ? call.calleeId : call.callerId,
      kind: call.kind,
      answeredAt: call.answeredAt?.toISOString() ?? null,
      expiresAt: call.expiresAt.toISOString(),
      remoteSdp: role === 'caller' ? call.answerSdp : call.offerSdp,
      candidates,
    };
  }
}

function notConnected(): AppError {
  return new AppError(HttpStatus.FORBIDDEN, 'not_connected', 'You can only call your connections (and neither of you may block the other)');
}

function notRinging(): AppError {
  return new AppError(HttpStatus.CONFLICT, 'call_not_ringing', 'The call is no longer ringing');
}
