import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Multipart requests whose client waits for `100 Continue`: answered by receiveFile once it knows the limit. */
const awaitingContinue = new WeakMap<IncomingMessage, ServerResponse>();

/**
 * Node answers `Expect: 100-continue` with `100 Continue` before any route runs, so a client declaring
 * 40 MB for a 5 MB avatar is told to send it all. With this listener installed, multipart requests wait:
 * receiveFile refuses a declared length over its limit with 413 (the body is never sent) or sends the
 * `100 Continue` itself. Every other request is continued at once, as Node would have done.
 */
export function deferUploadContinue(server: Server): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (/^multipart\//i.test(req.headers['content-type'] ?? '')) awaitingContinue.set(req, res);
    else res.writeContinue();
    server.emit('request', req, res);
  });
}

/** The response of a request still waiting for `100 Continue`, if it is one; it stops waiting. */
export function takeAwaitingContinue(req: IncomingMessage): ServerResponse | undefined {
  const res = awaitingContinue.get(req);
  awaitingContinue.delete(req);
  return res;
}
