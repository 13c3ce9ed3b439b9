import type { MessageMappingProperties } from '@nestjs/websockets';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { defer, type Observable } from 'rxjs';
import type { Socket } from 'socket.io';

type BoundCallback = MessageMappingProperties['callback'];
type Transform = (data: unknown) => Observable<unknown>;

/** What one socket keeps: its handlers (bound to it by Nest), by slot, and its disconnect callbacks. */
interface SocketBindings {
  callbacks: (BoundCallback | undefined)[];
  onDisconnect: ((reason: unknown) => void)[];
}

/** One handler of one gateway: the same for every socket, so kept once per process. */
interface Slot {
  isAckHandledManually: boolean;
}

/**
 * Socket.IO adapter whose per-socket cost does not grow with the number of `@SubscribeMessage`
 * handlers. Nest's IoAdapter subscribes, for every socket and every handler of every gateway, an
 * rxjs `fromEvent(...).pipe(mergeMap, takeUntil)` pipeline plus one `disconnect` listener per gateway:
 * with 22 handlers on 11 gateways a heap snapshot showed ~500 closures and 88 operator subscribers
 * per idle socket, 115 KB of its heap (docs/performance.md, goal 3). Here each socket keeps one
 * middleware and one array of the handlers Nest bound to it; which event maps to which array slot
 * lives once per process. Handling is Nest's: the same bound callback (guards, pipes, interceptors,
 * filters), the same `transform`, the same answer rules (a nil result is not acked, `{ event, data }`
 * is emitted, anything else goes to the ack unless the handler takes `@Ack()`), errors logged, and
 * nothing answered once the socket is gone (Nest's `takeUntil(disconnect)`).
 */
export class SharedDispatchIoAdapter extends IoAdapter {
  private readonly bindings = new WeakMap<Socket, SocketBindings>();
  /** event name -> the slots (one per gateway handling it) of `slots`. */
  private readonly slotsByEvent = new Map<string, number[]>();
  private readonly slots: Slot[] = [];
  // Nest passes the same conversion (result -> Observable) with every gateway's handlers; kept once.
  private transform: Transform | null = null;

  override bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[], transform: Transform): void {
    this.transform ??= transform;
    const bindings = this.bindingsOf(socket);
    for (const { message, callback, isAckHandledManually } of handlers) {
      const event = String(message);
      bindings.callbacks[this.freeSlot(event, bindings, isAckHandledManually)] = callback;
    }
  }

  /**
   * Nest adds one `connection` listener per gateway (11 today) to the one server: a fixed number per
   * process, not a leak, so Node's default warning at 10 is raised above it.
   */
  override bindClientConnect(server: { setMaxListeners(n: number): unknown; getMaxListeners(): number }, callback: () => void): void {
    server.setMaxListeners(Math.max(server.getMaxListeners(), 64));
    super.bindClientConnect(server, callback);
  }

  /** One `disconnect` listener per socket, calling each gateway's callback, instead of one per gateway. */
  override bindClientDisconnect(socket: Socket, callback: (reason: unknown) => void): void {
    this.bindingsOf(socket).onDisconnect.push(callback);
  }

  private bindingsOf(socket: Socket): SocketBindings {
    let bindings = this.bindings.get(socket);
    if (bindings) return bindings;
    bindings = { callbacks: [], onDisconnect: [] };
    this.bindings.set(socket, bindings);
    // The last middleware (the handshake already added the gateway's rate limit and expiry checks), so
    // a handler runs only for an event every middleware let through, as with Socket.IO's own dispatch.
    socket.use((packet, next) => {
      this.dispatch(socket, packet);
      next();
    });
    socket.once('disconnect', (reason: unknown) => {
      const done = this.bindings.get(socket);
      this.bindings.delete(socket);
      for (const callback of done?.onDisconnect ?? []) callback(reason);
    });
    return bindings;
  }

  /**
   * The slot of `event` this socket has not filled yet: gateways bind in the same order on every
   * socket, so the n-th gateway handling an event gets the same slot on each of them.
   */
  private freeSlot(event: string, bindings: SocketBindings, isAckHandledManually: boolean): number {
    let slots = this.slotsByEvent.get(event);
    if (!slots) {
      slots = [];
      this.slotsByEvent.set(event, slots);
    }
    const free = slots.find((slot) => bindings.callbacks[slot] === undefined);
    if (free !== undefined) return free;
    this.slots.push({ isAckHandledManually });
    slots.push(this.slots.length - 1);
    return this.slots.length - 1;
  }

  private dispatch(socket: Socket, packet: unknown[]): void {
    const slots = typeof packet[0] === 'string' ? this.slotsByEvent.get(packet[0]) : undefined;
    const bindings = this.bindings.get(socket);
    if (!slots || !bindings || !socket.connected) return;
    // As rxjs `fromEvent` hands one argument alone and several as an array (what Nest's mapPayload expects).
    const args = packet.slice(1);
    const mapped: { data: unknown; ack?: unknown } = this.mapPayload(args.length > 1 ? args : args[0]);
    const { data, ack } = mapped;
    for (const slot of slots) {
      const callback = bindings.callbacks[slot];
      if (callback) this.handle(socket, callback, this.slots[slot].isAckHandledManually, data, ack);
    }
  }

  private handle(socket: Socket, callback: BoundCallback, isAckHandledManually: boolean, data: unknown, ack: unknown): void {
    const transform = this.transform;
    if (!transform) return;
    // defer: a synchronous throw becomes an error notification (logged), as in Nest's adapter.
    defer(() => transform(callback(data, ack))).subscribe({
      next: (response) => {
        if (response === null || response === undefined || !socket.connected) return;
        const { event, data: eventData } = response as { event?: string; data?: unknown };
        if (event) socket.emit(event, eventData);
        else if (!isAckHandledManually && typeof ack === 'function') (ack as (answer: unknown) => void)(response);
      },
      error: (err: unknown) => this.logger.error(err),
    });
  }
}
