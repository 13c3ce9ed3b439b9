export { DomainEventBus, OnDomainEvent } from './domain-event-bus.js';
export type { DomainEventName, DomainEvents } from './domain-events.js';
