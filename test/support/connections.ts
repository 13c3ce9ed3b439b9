import request from 'supertest';
import type { TestApi } from './test-app.js';

/**
 * Connects two signed-in users through the real flow: `a` shows a QR code, `b` scans it, `a`
 * accepts. Throws with the server's answer if any step fails. Returns the ids involved.
 */
export async function connectUsers(
  api: TestApi,
  a: { accessToken: string },
  b: { accessToken: string },
): Promise<{ requestId: string; aUserId: string; bUserId: string }> {
  const http = request(api.url);
  const qr = await http.post('/qr').set('Authorization', `Bearer ${a.accessToken}`);
  if (qr.status !== 201) throw new Error(`POST /qr answered ${qr.status}: ${JSON.stringify(qr.body)}`);
  const scan = await http
    .post('/qr/scan')
    .set('Authorization', `Bearer ${b.accessToken}`)
    .send({ token: (qr.body as { token: string }).token });
  if (scan.status !== 201) throw new Error(`POST /qr/scan answered ${scan.status}: ${JSON.stringify(scan.body)}`);
  const req = scan.body as { id: string; fromUserId: string; toUserId: string };
  const accept = await http.post(`/connections/requests/${req.id}/accept`).set('Authorization', `Bearer ${a.accessToken}`);
  if (accept.status !== 200) throw new Error(`accept answered ${accept.status}: ${JSON.stringify(accept.body)}`);
  return { requestId: req.id, aUserId: req.toUserId, bUserId: req.fromUserId };
}
