// The load generator, in its own process. Connects one socket per sender and per receiver, then offers
// `rate` chat:send per second for `durationMs` (open loop, round robin over the pairs), and measures with
// HDR histograms: ack latency (send -> ack, i.e. stored) and send-to-deliver latency (send -> the
// recipient's chat:receive), both from the send's scheduled time (no coordinated omission).
// Input: a JSON job on stdin { url, pairs: [{ chatId, sender: { token }, receiver: { token } }], rate,
// durationMs, drainMs, tag }. Output: one JSON line of results on stdout.
import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import { io } from 'socket.io-client';

const job = JSON.parse(
  await new Promise((resolve) => {
    let s = '';
    process.stdin.on('data', (d) => (s += d)).on('end', () => resolve(s));
  }),
);

const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
const ackHist = histogram();
const deliverHist = histogram();

function connect(token) {
  const socket = io(job.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 10_000 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(new Error(`connect: ${err.message}`)));
  });
}

const pending = new Map(); // clientMessageId -> scheduled time (ms, performance clock)
let delivered = 0;
let lastDeliverAt = 0;
const senders = [];
for (const pair of job.pairs) {
  const [sender, receiver] = await Promise.all([connect(pair.sender.token), connect(pair.receiver.token)]);
  receiver.on('chat:receive', (m) => {
    const t0 = pending.get(m.clientMessageId);
    if (t0 === undefined) return;
    pending.delete(m.clientMessageId);
    const now = performance.now();
    deliverHist.recordValue(Math.max(1, Math.round((now - t0) * 1000)));
    delivered += 1;
    lastDeliverAt = now;
  });
  senders.push({ socket: sender, chatId: pair.chatId, receiver });
}

let sent = 0;
let acked = 0;
let failed = 0;
let lastAckAt = 0;
const errors = {};
const interval = 1000 / job.rate;
const total = Math.floor((job.rate * job.durationMs) / 1000);
const start = performance.now() + 50;

await new Promise((resolve) => {
  const tick = () => {
    const now = performance.now();
    while (sent < total && start + sent * interval <= now) {
      const scheduled = start + sent * interval;
      const s = senders[sent % senders.length];
      const clientMessageId = `${job.tag}-${sent}`;
      pending.set(clientMessageId, scheduled);
      sent += 1;
      s.socket.emit('chat:send', { chatId: s.chatId, clientMessageId, text: `bench message ${sent}` }, (ack) => {
        const at = performance.now();
        if (ack?.ok) {
          acked += 1;
          lastAckAt = at;
          ackHist.recordValue(Math.max(1, Math.round((at - scheduled) * 1000)));
        } else {
          failed += 1;
          const code = ack?.error?.code ?? 'unknown';
          errors[code] = (errors[code] ?? 0) + 1;
          pending.delete(clientMessageId);
        }
      });
    }
    if (sent < total) setTimeout(tick, 1);
    else resolve();
  };
  setTimeout(tick, Math.max(0, start - performance.now()));
});

// Drain: wait for the outstanding acks and deliveries, bounded.
const drainUntil = performance.now() + job.drainMs;
while ((acked + failed < sent || pending.size > 0) && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));

const ms = (h, p) => Math.round(h.getValueAtPercentile(p) / 10) / 100;
const seconds = (t) => Math.max(0.001, (t - start) / 1000);
const result = {
  tag: job.tag,
  offeredPerSec: job.rate,
  durationS: job.durationMs / 1000,
  sent,
  acked,
  failed,
  delivered,
  // Not yet delivered when the drain ended (late, not necessarily lost: the backlog is still being served).
  late: sent - delivered,
  errors,
  // Sustained rates: what was acked (stored) / delivered, over the time until the last one arrived.
  ackedPerSec: acked ? Math.round(acked / seconds(lastAckAt)) : 0,
  deliveredPerSec: delivered ? Math.round(delivered / seconds(lastDeliverAt)) : 0,
  ackP50Ms: ms(ackHist, 50),
  ackP99Ms: ms(ackHist, 99),
  deliverP50Ms: ms(deliverHist, 50),
  deliverP99Ms: ms(deliverHist, 99),
  deliverMaxMs: Math.round(deliverHist.maxValue / 10) / 100,
};
for (const s of senders) {
  s.socket.close();
  s.receiver.close();
}
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
