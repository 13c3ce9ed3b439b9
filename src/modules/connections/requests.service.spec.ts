import { describe, expect, it } from 'vitest';
import type { RequestRow, RequestsRepository } from './requests.repository.js';
import { RequestsService } from './requests.service.js';

const A = 'a'.repeat(24);
const B = 'b'.repeat(24);
const C = 'c'.repeat(24);
const ID = 'd'.repeat(24);

/** The service with a repository whose conditional update always fails, so `refuse` explains why. */
function serviceWith(row: RequestRow | null): RequestsService {
  const repo = { resolve: () => Promise.resolve(null), findById: () => Promise.resolve(row) } as unknown as RequestsRepository;
  const unused = {} as never;
  return new RequestsService(repo, unused, unused, unused, unused, unused, unused, unused);
}

const row = (over: Partial<RequestRow> = {}): RequestRow => ({
  id: ID,
  from: A,
  to: B,
  status: 'pending',
  createdAt: new Date(Date.now() - 1000),
  expiresAt: new Date(Date.now() + 60_000),
  resolvedAt: null,
  ...over,
});

const codeOf = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => 'resolved',
    (err: { getResponse(): { code: string } }) => err.getResponse().code,
  );

describe('why a request cannot be answered', () => {
  it('hides requests of others and unknown ids', async () => {
    expect(await codeOf(serviceWith(null).accept(B, ID))).toBe('request_not_found');
    expect(await codeOf(serviceWith(row()).accept(C, ID))).toBe('request_not_found');
  });

  it('lets only the receiver accept or reject, and only the sender cancel', async () => {
    expect(await codeOf(serviceWith(row()).accept(A, ID))).toBe('not_receiver');
    expect(await codeOf(serviceWith(row()).reject(A, ID))).toBe('not_receiver');
    expect(await codeOf(serviceWith(row()).cancel(B, ID))).toBe('not_sender');
  });

  it('names an answered request before an expired one', async () => {
    expect(await codeOf(serviceWith(row({ status: 'accepted', expiresAt: new Date(0) })).accept(B, ID))).toBe('request_not_pending');
    expect(await codeOf(serviceWith(row({ expiresAt: new Date(Date.now() - 1) })).accept(B, ID))).toBe('request_expired');
    expect(await codeOf(serviceWith(row({ expiresAt: new Date(Date.now() - 1) })).cancel(A, ID))).toBe('request_expired');
  });
});
