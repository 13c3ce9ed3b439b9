// Idle sockets, client side (its own process, pinned to the load CPU): opens `users.length`
// authenticated Socket.IO sockets (real JWTs, real handshake), reports, holds them until told `close`.
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { interactiveJob } from './lib/procs.mjs';

const { job, nextCommand, reply } = await interactiveJob();
const sockets = [];
let failed = 0;
const errors = {};
const t0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: job.concurrency }, async () => {
    while (next < job.users.length) {
      const user = job.users[next++];
      const socket = io(job.url, {
        auth: { token: user.token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: 30_000,
      });
      await new Promise((resolve) => {
        socket.once('connect', () => {
          sockets.push(socket);
          resolve();
        });
        socket.once('connect_error', (err) => {
          failed += 1;
          errors[err.message] = (errors[err.message] ?? 0) + 1;
          resolve();
        });
      });
    }
  }),
);
reply({
  connected: sockets.length,
  failed,
  errors,
  connectMs: Math.round(performance.now() - t0),
  clientRssMb: Math.round(process.memoryUsage().rss / 1048576),
});
await nextCommand();
// Still connected after the settle period (nothing was cut by the server meanwhile)?
const stillConnected = sockets.filter((s) => s.connected).length;
for (const s of sockets) s.close();
reply({ stillConnected });
process.exit(0);
