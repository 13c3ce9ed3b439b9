// Creates bench users on a running api through its real routes (OTP sign-in with the test delivery,
// QR connect, open chat), as the e2e helpers in libs/testing do.
import { randomBytes, randomInt } from 'node:crypto';

export async function call(url, method, path, { token, body, headers = {} } = {}) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return json;
}

async function readOtp(redis, prefix, identifier) {
  const key = `${prefix}:auth:test-outbox:${identifier}`;
  const deadline = Date.now() + 5000;
  for (;;) {
    const code = await redis.getdel(key);
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no OTP for ${identifier}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function signUp(url, redis, prefix) {
  const identifier = `bench-${randomBytes(6).toString('hex')}@example.com`;
  const ip = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
  await call(url, 'POST', '/auth/otp/request', { body: { identifier }, headers: { 'x-forwarded-for': ip } });
  const code = await readOtp(redis, prefix, identifier);
  const verified = await call(url, 'POST', '/auth/otp/verify', { body: { identifier, code } });
  return { userId: verified.user.id, token: verified.accessToken, refreshToken: verified.refreshToken };
}

/** Two users, connected, with their chat. */
export async function makePair(url, redis, prefix) {
  const [a, b] = await Promise.all([signUp(url, redis, prefix), signUp(url, redis, prefix)]);
  const qr = await call(url, 'POST', '/qr', { token: a.token });
  const request = await call(url, 'POST', '/qr/scan', { token: b.token, body: { token: qr.token } });
  await call(url, 'POST', `/connections/requests/${request.id}/accept`, { token: a.token });
  const chat = await call(url, 'POST', '/chats', { token: a.token, body: { peerId: b.userId } });
  return { chatId: chat.id, sender: a, receiver: b };
}
