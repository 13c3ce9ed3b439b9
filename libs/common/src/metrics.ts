/** Injection token of the per-application prom-client Registry (one per app, so tests can run several). */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
