import { Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import type { DomainEventName, DomainEvents } from './domain-events.js';

/** The one way modules emit domain events: the name and its payload are checked against DomainEvents. */
@Injectable()
export class DomainEventBus {
  constructor(private readonly emitter: EventEmitter2) {}

  /** Fire and forget: listeners run on their own; a failing async listener does not reach the emitter. */
  emit<E extends DomainEventName>(name: E, payload: DomainEvents[E]): void {
    this.emitter.emit(name, payload);
  }

  /** A typed listener added at run time (tests, or wiring that cannot use the decorator). */
  on<E extends DomainEventName>(name: E, listener: (payload: DomainEvents[E]) => void): void {
    this.emitter.on(name, listener);
  }

  /** Waits for every listener (those declared with `{ async: true, promisify: true }` included). */
  async emitAsync<E extends DomainEventName>(name: E, payload: DomainEvents[E]): Promise<void> {
    await this.emitter.emitAsync(name, payload);
  }
}

type Listener<E extends DomainEventName> = (payload: DomainEvents[E]) => unknown;

/**
 * A typed listener: the decorated method must take the event's payload. `async: true, promisify: true`
 * (the default here) runs it off the emitter's stack and lets `emitAsync` wait for it.
 */
export function OnDomainEvent<E extends DomainEventName>(
  name: E,
  options: { async?: boolean; promisify?: boolean } = { async: true, promisify: true },
): <M extends Listener<E>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void {
  return (target, key, descriptor) => {
    OnEvent(name, options)(target, key, descriptor);
  };
}
