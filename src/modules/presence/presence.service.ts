import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ContactDirectory, PresenceDirectory, type PresenceView, OnDomainEvent, type DomainEvents } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { AppConfig } from '../../config/index.js';
import { PresencePrivacy } from './presence-privacy.js';
import { PresenceRepository } from './presence.repository.js';
import { PresenceStore } from './presence.store.js';
import { showsLastSeen } from './presence-visibility.js';

/**
 * Online / last seen across every api process (state in Redis, see PresenceStore):
 * - online while any socket of the user is open on any process; the last close is announced only if
 *   the user has not reconnected within PRESENCE_GRACE_MS (a network switch does not flap), and
 *   persists lastSeen to MongoDB;
 * - each process heartbeats; the others reap a process silent for half of PRESENCE_OFFLINE_AFTER_MS
 *   (kill -9), so its users go offline, lastSeen = its last heartbeat, within that bound;
 * - changes go to the user's connections only, as `presence:update`, last seen per privacy.
 */
@Injectable()
export class PresenceService extends PresenceDirectory implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PresenceService.name);
  /** Sockets open on this process (socketId -> userId), to register again if this process was reaped. */
  private readonly local = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Per-user chain so this process announces one user's changes in order. */
  private readonly queues = new Map<string, Promise<void>>();
  private ticker: NodeJS.Timeout | null = null;
  private stopReconnectBeat: (() => void) | null = null;
  private closing = false;
  private readonly tickMs: number;
  private readonly deadAfterMs: number;

  constructor(
    private readonly store: PresenceStore,
    private readonly repo: PresenceRepository,
    private readonly contacts: ContactDirectory,
    private readonly privacy: PresencePrivacy,
    private readonly emitter: RealtimeEmitter,
    private readonly config: AppConfig,
  ) {
    super();
    // Beat and sweep every quarter of the bound; a process is dead after two missed quarters. Worst case
    // from kill -9 to "offline": deadAfter + one tick = 3/4 of PRESENCE_OFFLINE_AFTER_MS.
    this.tickMs = Math.floor(config.presence.offlineAfterMs / 4);
    this.deadAfterMs = 2 * this.tickMs;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.tick();
    this.ticker = setInterval(() => void this.tick(), this.tickMs);
    this.ticker.unref();
    // Redis back (perhaps empty): beat now, so a process taken for dead re-registers its sockets at
    // once rather than up to one tick later (measured: presence back 15-30 s after Redis under load).
    this.stopReconnectBeat = this.store.onReconnected(() => void this.tick());
  }

  /** Graceful stop: sockets elsewhere keep users online; the rest go offline after the grace period. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.stopReconnectBeat?.();
    if (this.ticker) clearInterval(this.ticker);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.store.backdate(Math.max(0, this.deadAfterMs - this.config.presence.graceMs)).catch((err: unknown) => {
      this.logger.warn({ err }, 'presence: could not hand over on shutdown');
    });
  }

  connected(userId: string, socketId: string): void {
    this.local.set(socketId, userId);
    this.serial(userId, async () => {
      if (await this.store.connect(userId, socketId)) await this.announce(userId);
    });
  }

  disconnected(userId: string, socketId: string): void {
    this.local.delete(socketId);
    this.serial(userId, async () => {
      await this.store.disconnect(userId, socketId);
      if (this.closing) return; // the sweepers settle this process's users (see beforeApplicationShutdown)
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.serial(userId, () => this.settle(userId));
      }, this.config.presence.graceMs);
      this.timers.add(timer);
    });
  }

  /** PresenceDirectory: presence of the viewer's connections among `userIds` (others omitted). */
  async presenceFor(viewerId: string, userIds: readonly string[]): Promise<Map<string, PresenceView>> {
    const contacts = new Set(await this.contacts.contactIdsOf(viewerId));
    const ids = [...new Set(userIds)].filter((id) => contacts.has(id));
    const out = new Map<string, PresenceView>();
    if (ids.length === 0) return out;
    const [online, lastSeen, audiences] = await Promise.all([
      this.store.areOnline(ids),
      this.repo.lastSeenOf(ids),
      this.privacy.lastSeenAudiences([viewerId, ...ids]),
    ]);
    ids.forEach((id, i) => {
      const visible = showsLastSeen(audiences.get(id), audiences.get(viewerId));
      out.set(id, { online: online[i], lastSeen: visible ? (lastSeen.get(id)?.toISOString() ?? null) : null });
    });
    return out;
  }

  /** PresenceDirectory: a device connected right now (push or socket?). */
  hasConnectedDevice(userId: string): Promise<boolean> {
    return this.store.hasSockets(userId);
  }

  @OnDomainEvent('user.deleted')
  async forgetUser({ userId }: DomainEvents['user.deleted']): Promise<void> {
    await Promise.all([this.repo.delete(userId), this.store.forget(userId)]).catch((err: unknown) =>
      this.logger.warn({ err, userId }, 'presence: could not forget a deleted user'),
    );
  }

  private async settle(userId: string): Promise<void> {
    const lastSeen = await this.store.settle(userId);
    if (!lastSeen) return;
    await this.repo.saveLastSeen(userId, lastSeen);
    await this.announce(userId);
  }

  /** Heartbeat, then reap processes that stopped beating. */
  private async tick(): Promise<void> {
    try {
      const { known } = await this.store.beat();
      if (!known && this.local.size > 0) {
        this.logger.warn('presence: this process was taken for dead; registering its sockets again');
        for (const [socketId, userId] of this.local) this.connected(userId, socketId);
      }
      for (const { procId, lastBeat } of await this.store.deadProcesses(this.deadAfterMs)) {
        const offline = await this.store.reap(procId, lastBeat);
        if (offline.length > 0) this.logger.log({ procId, users: offline.length }, 'presence: reaped a dead process');
        for (const { userId, lastSeen } of offline) {
          this.serial(userId, async () => {
            await this.repo.saveLastSeen(userId, lastSeen);
            await this.announce(userId);
          });
        }
      }
    } catch (err) {
      this.logger.warn({ err }, 'presence: heartbeat/sweep failed');
    }
  }

  /**
   * Tells the user's connections their current state. Reads the state at send time rather than carrying
   * the transition, so when changes race the last event a peer gets is the latest state.
   */
  private async announce(userId: string): Promise<void> {
    const contacts = await this.contacts.contactIdsOf(userId);
    if (contacts.length === 0) return;
    const [[online], lastSeen, own] = await Promise.all([
      this.store.areOnline([userId]),
      this.repo.lastSeenOf([userId]),
      this.privacy.lastSeenAudiences([userId]),
    ]);
    const seeing: string[] = [];
    const blind: string[] = [];
    if (showsLastSeen(own.get(userId), undefined)) {
      // The viewers' own settings matter only when the owner shares theirs (reciprocity).
      const theirs = await this.privacy.lastSeenAudiences(contacts);
      for (const c of contacts) (showsLastSeen(own.get(userId), theirs.get(c)) ? seeing : blind).push(c);
    } else {
      blind.push(...contacts);
    }
    const at = lastSeen.get(userId)?.toISOString() ?? null;
    this.emitter.toUsers(seeing, 'presence:update', { userId, online, lastSeen: at });
    this.emitter.toUsers(blind, 'presence:update', { userId, online, lastSeen: null });
  }

  private serial(userId: string, work: () => Promise<void>): void {
    const prev = this.queues.get(userId) ?? Promise.resolve();
    const next = prev.then(work).catch((err: unknown) => this.logger.warn({ err, userId }, 'presence update failed'));
    this.queues.set(userId, next);
    void next.then(() => {
      if (this.queues.get(userId) === next) this.queues.delete(userId);
    });
  }
}
