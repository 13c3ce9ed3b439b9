// `node bench/lib/heap-diff.mjs before.heapsnapshot after.heapsnapshot [sockets]`: what the heap gained
// between two V8 heap snapshots, grouped by node type and constructor/name, largest self size first,
// with counts and bytes per socket when `sockets` is given (used for goal 3, the idle-socket memory).
import { readFileSync } from 'node:fs';

function summarize(file) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const {
    node_fields: fields,
    node_types: [types],
  } = snap.snapshot.meta;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const groups = new Map();
  const nodes = snap.nodes;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]];
    let name = snap.strings[nodes[i + nameAt]];
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '(string)';
    else if (type === 'number' || (type === 'hidden' && name.startsWith('system /'))) name = name.split(' ')[0];
    else if (name.length > 60) name = `${name.slice(0, 60)}...`;
    const key = `${type}\t${name}`;
    const g = groups.get(key) ?? { count: 0, size: 0 };
    g.count += 1;
    g.size += nodes[i + sizeAt];
    groups.set(key, g);
  }
  return groups;
}

const [beforeFile, afterFile, socketsArg] = process.argv.slice(2);
const sockets = Number(socketsArg ?? 1);
const before = summarize(beforeFile);
const after = summarize(afterFile);
const rows = [];
let total = 0;
for (const [key, a] of after) {
  const b = before.get(key) ?? { count: 0, size: 0 };
  const size = a.size - b.size;
  total += size;
  rows.push({ key, count: a.count - b.count, size });
}
rows.sort((x, y) => y.size - x.size);
console.log(`total self size gained: ${(total / 1024).toFixed(0)} KB, ${(total / 1024 / sockets).toFixed(2)} KB per socket`);
console.log('bytes/socket\tcount/socket\ttype\tname');
for (const r of rows.slice(0, Number(process.env.TOP ?? 60))) {
  console.log(`${(r.size / sockets).toFixed(0)}\t${(r.count / sockets).toFixed(2)}\t${r.key}`);
}
