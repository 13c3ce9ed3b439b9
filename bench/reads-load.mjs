// HTTP read load (its own process, pinned to the load CPU): autocannon at a fixed overall rate over
// `connections` keep-alive connections, each request taking the next (path, token) of the job in turn.
// Input: JSON job { url, rate, seconds, connections, requests: [{ path, token }] }; output: one JSON line.
import autocannon from 'autocannon';

const job = JSON.parse(
  await new Promise((resolve) => {
    let s = '';
    process.stdin.on('data', (d) => (s += d)).on('end', () => resolve(s));
  }),
);
let n = 0;
const result = await autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.seconds,
  overallRate: job.rate,
  requests: [
    {
      method: 'GET',
      setupRequest: (req) => {
        const r = job.requests[n++ % job.requests.length];
        return { ...req, path: r.path, headers: { ...req.headers, authorization: `Bearer ${r.token}` } };
      },
    },
  ],
});
const l = result.latency;
process.stdout.write(
  `${JSON.stringify({ requests: result.requests.total, rps: Math.round(result.requests.average), p50Ms: l.p50, p90Ms: l.p90, p99Ms: l.p99, maxMs: l.max, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts })}\n`,
);
