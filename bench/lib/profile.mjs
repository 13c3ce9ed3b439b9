// Summarises the .cpuprofile files `node --cpu-prof` wrote: self time per function (name, file:line),
// highest first, as a share of all samples.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from './procs.mjs';

export function summariseProfile(dir, top = 20) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const self = new Map();
  let totalUs = 0;
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const dt = new Map();
    p.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
    for (const [id, us] of dt) {
      const { callFrame: c } = byId.get(id);
      const file = c.url ? relative(root, c.url.replace(/^file:\/\//, '')) : '';
      const key = `${c.functionName || '(anonymous)'} ${file ? `${file}:${c.lineNumber + 1}` : ''}`.trim();
      self.set(key, (self.get(key) ?? 0) + us);
      totalUs += us;
    }
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  // Grouped by where the code lives: which packages the time goes to.
  const groups = new Map();
  for (const [key, us] of self) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(key);
    const g = m
      ? m[1]
      : /\.tools\/bench-dist/.test(key)
        ? 'project code'
        : /^\((garbage collector|idle|program|root)\)/.test(key)
          ? key
          : 'node internals';
    groups.set(g, (groups.get(g) ?? 0) + us);
  }
  const pct = (us) => Math.round((us / totalUs) * 1000) / 10;
  return {
    files: files.length,
    totalMs: Math.round(totalUs / 1000),
    top: rows.map(([fn, us]) => ({ fn, selfMs: Math.round(us / 1000), pct: pct(us) })),
    byPackage: [...groups.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([pkg, us]) => ({ pkg, selfMs: Math.round(us / 1000), pct: pct(us) })),
  };
}
