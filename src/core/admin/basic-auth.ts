import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares equal-length digests so neither length nor content leaks through timing. */
export function safeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** HTTP basic auth for the admin dashboard; 401 with a challenge on anything but the right pair. */
export function basicAuth(user: string, password: string, realm = 'queues') {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization ?? '';
    const [scheme, encoded] = header.split(' ');
    if (scheme?.toLowerCase() === 'basic' && encoded) {
      const decoded = Buffer.from(encoded, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const givenUser = colon >= 0 ? decoded.slice(0, colon) : '';
      const givenPassword = colon >= 0 ? decoded.slice(colon + 1) : '';
      // Both compared every time, so a right user name is not told apart by timing.
      const userOk = safeEqual(givenUser, user);
      const passwordOk = safeEqual(givenPassword, password);
      if (userOk && passwordOk) return next();
    }
    res.setHeader('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`);
    res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'Admin credentials required' });
  };
}
