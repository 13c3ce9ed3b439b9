import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { CallLifecycle } from './call-lifecycle.js';
import { CallStore, liveMember } from './call-store.js';
import type { CallRole } from './calls.jobs.js';

/**
 * Ends calls whose device's api process died without closing its sockets (kill -9). Every process
 * holding an active device refreshes its heartbeat in one Redis sorted set every quarter of
 * CALL_RECONNECT_GRACE_SECONDS; every process (api and worker) sweeps members silent for three
 * quarters of it, so a dead process's calls end within the grace (3/4 + one tick).
 */
@Injectable()
export class CallSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CallSweeper.name);
  private ticker: NodeJS.Timeout | null = null;
  readonly tickMs: number;
  private readonly deadAfterMs: number;
  /** Extra work of the api process on each tick (its own heartbeat), before the sweep. */
  private beforeSweep: () => Promise<void> = () => Promise.resolve();

  constructor(
    private readonly store: CallStore,
    private readonly lifecycle: CallLifecycle,
    config: AppConfig,
  ) {
    this.tickMs = Math.floor(config.calls.reconnectGraceMs / 4);
    this.deadAfterMs = 3 * this.tickMs;
  }

  onBeat(work: () => Promise<void>): void {
    this.beforeSweep = work;
  }

  onApplicationBootstrap(): void {
    this.ticker = setInterval(() => void this.tick(), this.tickMs);
    this.ticker.unref();
  }

  onApplicationShutdown(): void {
    if (this.ticker) clearInterval(this.ticker);
  }

  private async tick(): Promise<void> {
    try {
      await this.beforeSweep();
      for (const member of await this.store.stale(this.deadAfterMs)) await this.lifecycle.lostProcess(member);
    } catch (err) {
      this.logger.warn({ err }, 'calls: heartbeat/sweep failed');
    }
  }
}

/**
 * The active call devices this api process holds (socket id -> calls), heartbeated through the
 * sweeper's tick. A closed socket's entries keep beating for the reconnect grace (the process is alive;
 * the connection-check job decides), then are dropped.
 */
@Injectable()
export class CallDevices {
  private readonly bySocket = new Map<string, Map<string, CallRole>>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: CallStore,
    sweeper: CallSweeper,
    private readonly config: AppConfig,
  ) {
    sweeper.onBeat(() => this.beat());
  }

  async track(socketId: string, callId: string, role: CallRole): Promise<void> {
    const calls = this.bySocket.get(socketId) ?? new Map<string, CallRole>();
    calls.set(callId, role);
    this.bySocket.set(socketId, calls);
    await this.store.addLive(callId, role);
  }

  /** The calls the socket was an active device of; their heartbeat lingers for the grace period. */
  closed(socketId: string): Array<{ callId: string; role: CallRole }> {
    const calls = this.bySocket.get(socketId);
    if (!calls) return [];
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.bySocket.delete(socketId);
    }, this.config.calls.reconnectGraceMs);
    timer.unref();
    this.timers.add(timer);
    return [...calls].map(([callId, role]) => ({ callId, role }));
  }

  private async beat(): Promise<void> {
    const members = new Map<string, string>();
    for (const [socketId, calls] of this.bySocket) for (const [callId, role] of calls) members.set(liveMember(callId, role), socketId);
    const gone = await this.store.beat([...members.keys()]);
    for (const member of gone) {
      const socketId = members.get(member);
      const callId = member.split('|')[0];
      if (socketId) this.bySocket.get(socketId)?.delete(callId);
    }
    for (const [socketId, calls] of this.bySocket) if (calls.size === 0) this.bySocket.delete(socketId);
  }
}
