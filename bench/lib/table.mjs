// One markdown table of every scenario's figures against its goal, plus the per-step detail of the
// throughput scenario. Missing scenarios are left out; a failed one shows its error.
const r2 = (x) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : 'n/a');
const verdict = (ok) => (ok === undefined ? '' : ok ? 'met' : '**not met**');

function goalRows(res) {
  const rows = [];
  const s = res.scenarios;
  const t = s.throughput;
  if (t?.error) rows.push(['1 throughput', 'error', t.error, '', '']);
  else if (t) {
    const sus = (n) => t.targets[n]?.sustained;
    const api = sus('api');
    const ceiling = t.ceiling?.insertsPerSec;
    for (const [name, label] of [
      ['api', 'api (1 process)'],
      ['api2', 'api (2 processes, Redis adapter)'],
      ['relay', 'bare relay (in memory)'],
      ['centrifugo', 'Centrifugo v6.9.1 (memory engine, history)'],
    ]) {
      const r = t.targets[name];
      if (r) rows.push(['1 throughput', label, r.error ? `error: ${r.error}` : `${sus(name)} msg/s sustained`, '', '']);
    }
    if (ceiling) rows.push(['1 throughput', 'datastore batched-insert ceiling', `${ceiling} docs/s`, '', '']);
    if (api !== undefined && ceiling)
      rows.push(['1 throughput', 'api / datastore ceiling', r2(api / ceiling), '>= 0.5', verdict(api / ceiling >= 0.5)]);
    if (api !== undefined && sus('relay'))
      rows.push(['1 throughput', 'api / relay', r2(api / sus('relay')), '>= 0.25', verdict(api / sus('relay') >= 0.25)]);
    if (sus('api2') !== undefined && ceiling)
      rows.push(['1 throughput', 'api x2 / datastore ceiling', r2(sus('api2') / ceiling), '>= 0.5', verdict(sus('api2') / ceiling >= 0.5)]);
    if (sus('api') !== undefined && sus('centrifugo'))
      rows.push(['1 throughput', 'api / Centrifugo', r2(api / sus('centrifugo')), '(peer)', '']);
  }
  const l = s.latency;
  if (l?.error) rows.push(['2 latency', 'error', l.error, '', '']);
  else if (l) {
    for (const [name, r] of Object.entries(l.targets)) {
      rows.push([
        '2 latency',
        `${name} at ${l.rate} msg/s, ${l.users} users`,
        `deliver p50 ${r.deliverP50Ms} / p99 ${r.deliverP99Ms} ms; delivered ${r.delivered}/${r.sent}`,
        '',
        '',
      ]);
    }
    if (l.ratio !== undefined) rows.push(['2 latency', 'api p99 / relay p99', r2(l.ratio), '<= 4', verdict(l.ratio <= 4 && l.complete)]);
  }
  const i = s.idle;
  if (i?.error) rows.push(['3 idle sockets', 'error', i.error, '', '']);
  else if (i) {
    rows.push([
      '3 idle sockets',
      `${i.connected} of ${i.sockets} authenticated sockets, 1 api`,
      `${i.rssBeforeMb} -> ${i.rssAfterMb} MB RSS after GC (JS heap ${i.heapBeforeMb} -> ${i.heapAfterMb} MB: ${i.heapKbPerSocket} KB per socket)`,
      '',
      '',
    ]);
    rows.push([
      '3 idle sockets',
      'RSS per socket',
      `${i.kbPerSocket} KB`,
      '<= 25 KB',
      verdict(i.kbPerSocket <= 25 && i.connected >= 15_000),
    ]);
  }
  const st = s.storm;
  if (st?.error) rows.push(['4 reconnect storm', 'error', st.error, '', '']);
  else if (st) {
    rows.push([
      '4 reconnect storm',
      `${st.clients} clients dropped, reconnected + chat:sync`,
      `all synced in ${st.syncedMs} ms (p99 ${st.p99Ms} ms); synced ${st.synced}, lost ${st.lost}, duplicated ${st.duplicated}, failed ${st.failed}`,
      '<= 10 s, 0 lost/dup',
      verdict(st.pass),
    ]);
  }
  const rd = s.reads;
  if (rd?.error) rows.push(['5 reads', 'error', rd.error, '', '']);
  else if (rd) {
    for (const r of rd.runs) {
      rows.push([
        '5 reads',
        `${r.name} at ${r.rate} req/s`,
        `p50 ${r.p50Ms} / p99 ${r.p99Ms} ms, ${r.rps} req/s, non-2xx ${r.non2xx}, errors ${r.errors}`,
        r.goal ? '<= 20 ms' : '(report)',
        r.goal ? verdict(r.p99Ms <= 20 && r.non2xx === 0 && r.errors === 0) : '',
      ]);
    }
  }
  return rows;
}

function stepRows(res) {
  const t = res.scenarios.throughput;
  if (!t?.targets) return [];
  const rows = [];
  for (const [name, r] of Object.entries(t.targets)) {
    for (const s of r.steps) {
      rows.push([
        name,
        s.rate,
        s.pass ? 'pass' : 'FAIL',
        `${s.acked}/${s.sent}`,
        s.delivered,
        `${s.receiptsAcked}/${s.receipts}`,
        s.ackP99Ms,
        s.deliverP50Ms,
        s.deliverP99Ms,
        `${s.backlogFirst}->${s.backlogLast}`,
        s.genCpu,
      ]);
    }
  }
  return rows;
}

const md = (header, rows) =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function renderTable(res) {
  const parts = [
    `Bench ${res.at} (${res.command}); node ${res.node}, ${res.cpus} CPUs; ${res.datastore}`,
    `Machine load: before ${res.loadBefore}; after ${res.loadAfter}`,
    '',
    md(['goal', 'what', 'measured', 'bound', 'verdict'], goalRows(res)),
  ];
  const steps = stepRows(res);
  if (steps.length) {
    parts.push(
      '',
      'Throughput steps (deliver p99 bound 50 ms; a step passes at 100% acked and delivered, p99 within bound, no growing backlog):',
      '',
      md(
        [
          'target',
          'offered/s',
          'step',
          'acked',
          'delivered',
          'receipts acked',
          'ack p99 ms',
          'deliver p50 ms',
          'deliver p99 ms',
          'backlog',
          'generator CPU',
        ],
        steps,
      ),
    );
  }
  if (res.profile) {
    parts.push('', `api CPU profile (throughput steps; ${res.profile.totalMs} ms sampled), top self time:`, '');
    parts.push(
      md(
        ['function', 'self ms', '%'],
        res.profile.top.slice(0, 15).map((r) => [r.fn.replace(/\|/g, '\\|'), r.selfMs, r.pct]),
      ),
    );
    parts.push(
      '',
      md(
        ['package', 'self ms', '%'],
        res.profile.byPackage.map((r) => [r.pkg, r.selfMs, r.pct]),
      ),
    );
  }
  return parts.join('\n');
}
