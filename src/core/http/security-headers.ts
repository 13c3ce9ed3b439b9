import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The usual hardening headers on every response (helmet), with a CSP that Swagger UI works under: its
 * scripts are files served by us ('self'), its styles partly inline, its logo a data: URL.
 * - No upgrade-insecure-requests: over plain HTTP (local runs) it would send Swagger UI's own requests
 *   to https and break it; behind TLS every URL is https anyway.
 * - Cross-Origin-Resource-Policy cross-origin: avatars at /files are embedded by web apps on other
 *   origins; JSON responses are still guarded by CORS.
 * - HSTS only when the request arrived over TLS (directly, or per X-Forwarded-Proto from a trusted
 *   proxy, see TRUST_PROXY): announcing it over plain HTTP is meaningless and breaks local runs.
 */
export function securityHeaders(): RequestHandler[] {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'upgrade-insecure-requests': null,
      },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    strictTransportSecurity: false,
  });
  const hsts = (req: Request, res: Response, next: NextFunction): void => {
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
  return [headers, hsts];
}
