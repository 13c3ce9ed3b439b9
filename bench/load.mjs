// The load generator, in its own process (pinned to CPU 0 by run.mjs). Connects every user of the job,
// then offers 1-1 messages in open-loop steps of fixed rates: each step sends `rate` messages per second
// for `stepMs`, round robin over the chats, on a fixed schedule (latency counts from the scheduled time,
// so a server falling behind shows as latency, not as a lower offered rate: no coordinated omission).
// Every recipient answers `message:delivered` on receipt and `message:seen` for every second message;
// every `typingEvery`-th send is preceded by a `chat:typing`. HDR histograms (hdr-histogram-js) record
// send -> ack (stored) and send -> the recipient's receive.
// A step passes only if every message was acked and delivered, deliver p99 <= `boundP99Ms`, and the
// backlog (sent - delivered) did not grow over the step. Steps stop after the first failing one.
// Input: JSON job on stdin { driver, urls, users, chats: [{ chatId, a, b }], steps, stepMs, drainMs,
// boundP99Ms, typingEvery, receipts }. Output: one JSON line on stdout.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import { centrifugeDriver, connectAll, socketIoDriver } from './lib/drivers.mjs';

const job = JSON.parse(
  await new Promise((resolve) => {
    let s = '';
    process.stdin.on('data', (d) => (s += d)).on('end', () => resolve(s));
  }),
);
const log = (m) => process.stderr.write(`load[${job.target}]: ${m}\n`);
const driver = job.driver === 'centrifuge' ? centrifugeDriver(job.urls[0]) : socketIoDriver((i) => job.urls[i % job.urls.length]);
const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
const ms = (h, p) => Math.round(h.getValueAtPercentile(p) / 10) / 100;

// users[2k] and users[2k+1] form chat k; with several urls they land on different api processes.
const t0 = performance.now();
const conns = await connectAll(driver, job.users, job.connectConcurrency ?? 100);
const byUser = new Map(job.users.map((u, i) => [u.userId, conns[i]]));
log(`${conns.length} connections in ${Math.round(performance.now() - t0)} ms`);

let step = null; // the current step's counters
for (const chat of job.chats) {
  const receiver = byUser.get(chat.b.userId);
  receiver.onReceive((m) => {
    const s = step;
    const t = s?.pending.get(m.clientMessageId);
    if (t === undefined) return;
    s.pending.delete(m.clientMessageId);
    s.deliverHist.recordValue(Math.max(1, Math.round((performance.now() - t) * 1000)));
    s.delivered += 1;
    if (!job.receipts) return;
    const kinds = s.delivered % 2 === 0 ? ['delivered', 'seen'] : ['delivered'];
    for (const kind of kinds) {
      s.receiptsSent += 1;
      void receiver.receipt(chat, kind, m.seq).then((ack) => (ack?.ok ? (s.receiptsAcked += 1) : (s.receiptsFailed += 1)));
    }
  });
}

async function runStep(rate, stepMs = job.stepMs, label = String(rate)) {
  const s = {
    rate,
    pending: new Map(),
    ackHist: histogram(),
    deliverHist: histogram(),
    sent: 0,
    acked: 0,
    failed: 0,
    delivered: 0,
    receiptsSent: 0,
    receiptsAcked: 0,
    receiptsFailed: 0,
    errors: {},
    backlog: [],
  };
  step = s;
  const interval = 1000 / rate;
  const total = Math.floor((rate * stepMs) / 1000);
  const start = performance.now() + 20;
  const cpu0 = process.cpuUsage();
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const sampler = setInterval(() => s.backlog.push(s.sent - s.delivered), 100);
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (s.sent < total && start + s.sent * interval <= now) {
        const scheduled = start + s.sent * interval;
        const n = s.sent;
        const chat = job.chats[n % job.chats.length];
        const sender = byUser.get(chat.a.userId);
        const clientMessageId = `${job.tag}-${label}-${n}`;
        s.pending.set(clientMessageId, scheduled);
        s.sent += 1;
        if (job.typingEvery && n % job.typingEvery === 0) sender.typing(chat);
        void sender.send(chat, clientMessageId, `bench message ${n}`).then((ack) => {
          if (ack?.ok) {
            s.acked += 1;
            s.ackHist.recordValue(Math.max(1, Math.round((performance.now() - scheduled) * 1000)));
          } else {
            s.failed += 1;
            const code = ack?.error?.code ?? 'unknown';
            s.errors[code] = (s.errors[code] ?? 0) + 1;
            s.pending.delete(clientMessageId);
          }
        });
      }
      if (s.sent < total) setTimeout(tick, 1);
      else resolve();
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  clearInterval(sampler);
  const sendEnd = performance.now();
  const cpu = process.cpuUsage(cpu0);
  lag.disable();
  const drainUntil = performance.now() + job.drainMs;
  while (
    (s.acked + s.failed < s.sent || s.pending.size > 0 || s.receiptsAcked + s.receiptsFailed < s.receiptsSent) &&
    performance.now() < drainUntil
  ) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const quarter = Math.max(1, Math.floor(s.backlog.length / 4));
  const mean = (a) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
  const backlogFirst = mean(s.backlog.slice(0, quarter));
  const backlogLast = mean(s.backlog.slice(-quarter));
  // Steady state holds about rate x latency in flight; a server falling behind grows it linearly.
  const growing = backlogLast > 2 * backlogFirst + rate * 0.02 + 5;
  const deliverP99Ms = ms(s.deliverHist, 99);
  const complete = s.acked === s.sent && s.delivered === s.sent && s.failed === 0;
  const result = {
    rate,
    sent: s.sent,
    acked: s.acked,
    failed: s.failed,
    delivered: s.delivered,
    receipts: s.receiptsSent,
    receiptsAcked: s.receiptsAcked,
    receiptsFailed: s.receiptsFailed,
    errors: s.errors,
    ackP50Ms: ms(s.ackHist, 50),
    ackP99Ms: ms(s.ackHist, 99),
    deliverP50Ms: ms(s.deliverHist, 50),
    deliverP99Ms,
    deliverMaxMs: Math.round(s.deliverHist.maxValue / 10) / 100,
    backlogFirst: Math.round(backlogFirst),
    backlogLast: Math.round(backlogLast),
    growing,
    // The generator's own CPU (fraction of one core) and event-loop lag while sending: near 1.0 / tens
    // of ms means the client library, not the server, set the limit of this step.
    genCpu: Math.round(((cpu.user + cpu.system) / 1000 / (sendEnd - start)) * 100) / 100,
    genLagP99Ms: Math.round(lag.percentile(99) / 1e4) / 100,
    pass: complete && deliverP99Ms <= job.boundP99Ms && !growing,
  };
  step = null;
  return result;
}

// Warm-up, not reported: the first messages of a fresh process pay for JIT, connection pools and
// caches (a first 25/s step measured p99 510 ms on a quiet machine, the next ones 10x less).
if (job.warmupMs) {
  const w = await runStep(job.steps[0], job.warmupMs, 'warmup');
  log(`warm-up ${job.steps[0]}/s: p99 ${w.deliverP99Ms} ms`);
  await new Promise((res) => setTimeout(res, 500));
}
const steps = [];
for (const rate of job.steps) {
  const r = await runStep(rate);
  steps.push(r);
  log(
    `${rate}/s: ${r.pass ? 'pass' : 'FAIL'} acked ${r.acked}/${r.sent} delivered ${r.delivered} p99 ${r.deliverP99Ms} ms backlog ${r.backlogFirst}->${r.backlogLast} gen cpu ${r.genCpu}`,
  );
  if (!r.pass && job.stopAfterFail !== false) break;
  await new Promise((res) => setTimeout(res, 500));
}
for (const c of conns) c.close();
const passed = steps.filter((r) => r.pass).map((r) => r.rate);
// The sustained rate: the highest step that passed with every lower step passing too.
let sustained = 0;
for (const r of steps) {
  if (!r.pass) break;
  sustained = r.rate;
}
process.stdout.write(`${JSON.stringify({ target: job.target, sustained, passed, steps })}\n`);
process.exit(0);
