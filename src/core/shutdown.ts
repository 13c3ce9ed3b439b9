import type { INestApplicationContext, LoggerService } from '@nestjs/common';

/**
 * SIGTERM/SIGINT: close the app (HTTP server stops accepting, sockets close, BullMQ workers finish
 * their current job, Mongo and Redis close), then exit 0. A close that hangs past the timeout exits 1
 * so an orchestrator never waits forever.
 */
export function installGracefulShutdown(app: INestApplicationContext, logger: LoggerService, timeoutMs: number): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received, shutting down`, 'Shutdown');
    const timer = setTimeout(() => {
      logger.error(`shutdown took longer than ${timeoutMs} ms, exiting`, undefined, 'Shutdown');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app.close().then(
      () => {
        logger.log('shutdown complete', 'Shutdown');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error(`shutdown failed: ${String(err)}`, undefined, 'Shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
