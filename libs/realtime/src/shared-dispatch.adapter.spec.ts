import { EventEmitter } from 'node:events';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { from, isObservable, mergeAll, type Observable, of } from 'rxjs';
import type { Socket } from 'socket.io';
import { describe, expect, it, vi } from 'vitest';
import { SharedDispatchIoAdapter } from './shared-dispatch.adapter.js';

/** The parts of a Socket.IO socket the adapter touches: middlewares, `disconnect`, `emit`, `connected`. */
class FakeSocket extends EventEmitter {
  connected = true;
  readonly fns: ((packet: unknown[], next: (err?: Error) => void) => void)[] = [];
  readonly emitted: unknown[][] = [];
  use(fn: (packet: unknown[], next: (err?: Error) => void) => void): this {
    this.fns.push(fn);
    return this;
  }
  override emit(event: string, ...args: unknown[]): boolean {
    if (event === 'disconnect') return super.emit(event, ...args);
    this.emitted.push([event, ...args]);
    return true;
  }
  /** An incoming event as Socket.IO delivers it to the middlewares (the ack last, when sent). */
  receive(...packet: unknown[]): void {
    for (const fn of this.fns) fn(packet, () => undefined);
  }
  drop(): void {
    this.connected = false;
    super.emit('disconnect', 'transport close');
  }
}

// Nest's own conversion of a handler's result (WebSocketsController.pickResult + mergeAll).
const transform = (result: unknown): Observable<unknown> =>
  from(Promise.resolve(result).then((r) => (isObservable(r) ? r : of(r)))).pipe(mergeAll());

const handler = (message: string, callback: (...args: unknown[]) => unknown, isAckHandledManually = false): MessageMappingProperties =>
  ({ message, methodName: message, callback, isAckHandledManually }) as MessageMappingProperties;

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function connect(adapter: SharedDispatchIoAdapter, gateways: MessageMappingProperties[][]): FakeSocket {
  const socket = new FakeSocket();
  for (const handlers of gateways) adapter.bindMessageHandlers(socket as unknown as Socket, handlers, transform);
  return socket;
}

describe('SharedDispatchIoAdapter', () => {
  it("answers as Nest's adapter does: result to the ack, { event, data } emitted, nil not acked", async () => {
    const adapter = new SharedDispatchIoAdapter();
    const socket = connect(adapter, [
      [handler('a:echo', (data) => ({ ok: true, data })), handler('a:event', () => ({ event: 'a:done', data: 1 }))],
      [handler('b:nil', () => undefined), handler('b:manual', (_data, ack) => (ack as (x: string) => void)('mine'), true)],
    ]);
    const acks: unknown[] = [];
    socket.receive('a:echo', { x: 1 }, (answer: unknown) => acks.push(answer));
    socket.receive('a:event', {});
    socket.receive('b:nil', {}, (answer: unknown) => acks.push(answer));
    socket.receive('b:manual', {}, (answer: unknown) => acks.push(answer));
    await tick();
    // `mine` only once: the manual handler's own return value (a number) is not acked for it.
    expect(acks).toHaveLength(2);
    expect(acks).toEqual(expect.arrayContaining([{ ok: true, data: { x: 1 } }, 'mine']));
    expect(socket.emitted).toEqual([['a:done', 1]]);
  });

  it('hands each socket its own bound handlers, several arguments as an array, every gateway handling an event', async () => {
    const adapter = new SharedDispatchIoAdapter();
    const seen: unknown[] = [];
    const bound = (name: string, slot: string): MessageMappingProperties =>
      handler('x:multi', (data) => {
        seen.push([name, slot, data]);
        return undefined;
      });
    const first = connect(adapter, [[bound('first', 'g1')], [bound('first', 'g2')]]);
    const second = connect(adapter, [[bound('second', 'g1')], [bound('second', 'g2')]]);
    second.receive('x:multi', 1, 2);
    first.receive('x:multi', 'one');
    await tick();
    expect(seen).toEqual([
      ['second', 'g1', [1, 2]],
      ['second', 'g2', [1, 2]],
      ['first', 'g1', 'one'],
      ['first', 'g2', 'one'],
    ]);
  });

  it('keeps serving an event after its handler threw, answers nothing once the socket is gone, calls each disconnect callback once', async () => {
    const adapter = new SharedDispatchIoAdapter();
    const log = vi.spyOn((adapter as unknown as { logger: { error: (e: unknown) => void } }).logger, 'error').mockImplementation(() => {});
    let calls = 0;
    let release: (v: unknown) => void = () => {};
    const socket = connect(adapter, [
      [
        handler('x:flaky', () => {
          calls += 1;
          if (calls === 1) throw new Error('boom');
          return 'fine';
        }),
        handler('x:slow', () => new Promise((resolve) => (release = resolve))),
      ],
    ]);
    const reasons: unknown[] = [];
    adapter.bindClientDisconnect(socket as unknown as Socket, (reason) => reasons.push(['g1', reason]));
    adapter.bindClientDisconnect(socket as unknown as Socket, (reason) => reasons.push(['g2', reason]));
    const acks: unknown[] = [];
    socket.receive('x:flaky', {}, (a: unknown) => acks.push(a));
    socket.receive('x:flaky', {}, (a: unknown) => acks.push(a));
    socket.receive('x:slow', {}, (a: unknown) => acks.push(a));
    await tick();
    expect(log).toHaveBeenCalledTimes(1);
    expect(acks).toEqual(['fine']);
    socket.drop();
    release('too late');
    socket.receive('x:flaky', {}, (a: unknown) => acks.push(a));
    await tick();
    expect(acks).toEqual(['fine']);
    expect(reasons).toEqual([
      ['g1', 'transport close'],
      ['g2', 'transport close'],
    ]);
  });
});
