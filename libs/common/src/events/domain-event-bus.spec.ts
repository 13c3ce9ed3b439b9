import { Injectable } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { DomainEventBus, OnDomainEvent } from './domain-event-bus.js';
import type { DomainEvents } from './domain-events.js';

@Injectable()
class Listener {
  readonly heard: Array<DomainEvents['connection.removed']> = [];
  finished = false;

  @OnDomainEvent('connection.removed')
  async onRemoved(event: DomainEvents['connection.removed']): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    this.heard.push(event);
    this.finished = true;
  }

  @OnDomainEvent('user.deleted')
  onDeleted(): never {
    throw new Error('listener failure');
  }
}

async function start(): Promise<{ bus: DomainEventBus; listener: Listener; close: () => Promise<void> }> {
  const moduleRef = await Test.createTestingModule({
    imports: [EventEmitterModule.forRoot()],
    providers: [DomainEventBus, Listener],
  }).compile();
  const app = await moduleRef.createNestApplication().init();
  return { bus: app.get(DomainEventBus), listener: app.get(Listener), close: () => app.close() };
}

describe('DomainEventBus', () => {
  it('emitAsync waits for an async listener, which gets the typed payload', async () => {
    const { bus, listener, close } = await start();
    await bus.emitAsync('connection.removed', { a: 'u1', b: 'u2' });
    expect(listener.finished).toBe(true);
    expect(listener.heard).toEqual([{ a: 'u1', b: 'u2' }]);
    await close();
  });

  it('emit returns at once and a failing listener does not reach the emitter', async () => {
    const { bus, listener, close } = await start();
    expect(() => bus.emit('user.deleted', { userId: 'u1' })).not.toThrow();
    bus.emit('connection.removed', { a: 'u1', b: 'u2' });
    expect(listener.finished).toBe(false);
    await expect.poll(() => listener.finished).toBe(true);
    await close();
  });

  it('refuses, at compile time, an unknown name or a payload of the wrong shape', () => {
    const bus = new DomainEventBus({ emit: () => true } as never);
    // @ts-expect-error: not a DomainEvents name
    bus.emit('connection.created', { a: 'u1', b: 'u2' });
    // @ts-expect-error: connection.removed carries { a, b }
    bus.emit('connection.removed', { userId: 'u1' });
    expect(true).toBe(true);
  });
});
