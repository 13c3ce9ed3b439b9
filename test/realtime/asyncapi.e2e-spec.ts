import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/**
 * Keys of the ServerEvents interface in libs/realtime/src/events.ts (the typed server-to-client map) and
 * of the per-feature interfaces it extends (libs/realtime/src/events/<feature>.events.ts).
 */
function serverEventNames(): string[] {
  const keysOf = (source: string, name: string): string[] => {
    const body = new RegExp(`export interface ${name}(?:\\s+extends [^{]+)?\\s*\\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? '';
    return [...body.matchAll(/^ {2}'?([\w:.-]+)'?\??:/gm)].map((m) => m[1]);
  };
  const features = readdirSync(root('libs/realtime/src/events')).filter((f) => f.endsWith('.events.ts'));
  return [
    ...keysOf(readFileSync(root('libs/realtime/src/events.ts'), 'utf8'), 'ServerEvents'),
    ...features.flatMap((f) => keysOf(readFileSync(root(`libs/realtime/src/events/${f}`), 'utf8'), '\\w+ServerEvents')),
  ];
}

/** Every client-to-server event some gateway in src/ handles (`@SubscribeMessage('...')`). */
function clientEventNames(): string[] {
  const files = readdirSync(root('src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.gateway.ts'));
  return files.flatMap((f) => [...readFileSync(root(`src/${f}`), 'utf8').matchAll(/@SubscribeMessage\('([^']+)'\)/g)].map((m) => m[1]));
}

describe('docs/asyncapi.yaml', () => {
  it('is a valid AsyncAPI 3 document', async () => {
    const { document, diagnostics } = await new Parser().parse(readFileSync(root('docs/asyncapi.yaml'), 'utf8'));
    const errors = diagnostics
      .filter((d) => Number(d.severity) === 0 /* DiagnosticSeverity.Error */)
      .map((d) => `${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(document?.version()).toMatch(/^3\./);
  });

  it('describes every server-to-client event of the typed map, sent by the server', async () => {
    const { document } = await new Parser().parse(readFileSync(root('docs/asyncapi.yaml'), 'utf8'));
    const sent = new Set(
      document!
        .operations()
        .all()
        .filter((op) => op.action() === 'send')
        .flatMap((op) =>
          op
            .channels()
            .all()
            .map((c) => c.address()),
        ),
    );
    const events = serverEventNames();
    expect(events).toContain('presence:update');
    expect(events.filter((e) => !sent.has(e))).toEqual([]);
  });

  it('describes every client event a gateway handles, received by the server', async () => {
    const { document } = await new Parser().parse(readFileSync(root('docs/asyncapi.yaml'), 'utf8'));
    const received = new Set(
      document!
        .operations()
        .all()
        .filter((op) => op.action() === 'receive')
        .flatMap((op) =>
          op
            .channels()
            .all()
            .map((c) => c.address()),
        ),
    );
    const handled = clientEventNames();
    expect(handled).toContain('chat:send');
    expect(handled.filter((e) => !received.has(e))).toEqual([]);
  });

  it('gives every client event an ack reply', async () => {
    const { document } = await new Parser().parse(readFileSync(root('docs/asyncapi.yaml'), 'utf8'));
    const withoutReply = document!
      .operations()
      .all()
      .filter((op) => op.action() === 'receive' && !op.reply())
      .map((op) => op.id());
    expect(withoutReply).toEqual([]);
  });
});
