import { io, type Socket } from 'socket.io-client';

/** What a socket handler answers through its ack (mirrors SocketAck in @app/realtime). */
export type Ack<T = unknown> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; fields?: Record<string, string[]>; retryAfterSeconds?: number } };

/**
 * A Socket.IO client authenticated with `token` (websocket transport, no automatic reconnection).
 * Resolves once connected; rejects with the server's reason (`unauthorized`, `session_revoked`).
 * Close it in the test (`socket.close()`), or it keeps the test process alive.
 */
export function connectSocket(url: string, token: string, options: { timeoutMs?: number } = {}): Promise<Socket> {
  const socket = io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: options.timeoutMs ?? 10_000,
  });
  return new Promise((resolve, reject) => {
    const onConnect = (): void => {
      socket.off('connect_error', onError);
      resolve(socket);
    };
    const onError = (err: Error): void => {
      socket.off('connect', onConnect);
      socket.close();
      reject(new Error(err.message));
    };
    socket.once('connect', onConnect);
    socket.once('connect_error', onError);
  });
}

/** The reason a connection with `token` is refused (fails the test if it connects). */
export async function connectRefusal(url: string, token: string): Promise<string> {
  let socket: Socket;
  try {
    socket = await connectSocket(url, token);
  } catch (err) {
    return (err as Error).message;
  }
  socket.close();
  throw new Error('expected the connection to be refused, but it connected');
}

/**
 * The next `event` on `socket` matching `predicate` (payload of the first argument); rejects after `timeoutMs`.
 * Attach it BEFORE triggering what emits the event.
 */
export function nextEvent<T = unknown>(
  socket: Socket,
  event: string,
  timeoutMs = 5000,
  predicate: (payload: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no '${event}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T): void => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/**
 * Resolves true if no `event` matching `predicate` arrives within `windowMs` (to assert something is NOT
 * delivered, e.g. to a stranger); false if one does.
 */
export function noEvent<T = unknown>(
  socket: Socket,
  event: string,
  windowMs = 1000,
  predicate: (payload: T) => boolean = () => true,
): Promise<boolean> {
  return nextEvent(socket, event, windowMs, predicate).then(
    () => false,
    () => true,
  );
}

/** Emits `event` with `payload` and resolves with the server's ack (rejects after `timeoutMs`). */
export async function emitWithAck<T = unknown>(socket: Socket, event: string, payload?: unknown, timeoutMs = 5000): Promise<Ack<T>> {
  return (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as Ack<T>;
}

/** Resolves with the disconnect reason when `socket` is disconnected; rejects after `timeoutMs`. */
export function waitForDisconnect(socket: Socket, timeoutMs = 5000): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('disconnect', listener);
      reject(new Error(`socket not disconnected within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (reason: string): void => {
      clearTimeout(timer);
      resolve(reason);
    };
    socket.once('disconnect', listener);
  });
}

/** The sockets a suite opens, closed together: `afterEach(() => sockets.closeAll())`. */
export function socketPool(): {
  connect(url: string, token: string): Promise<Socket>;
  track(socket: Socket): Socket;
  closeAll(): void;
} {
  const open: Socket[] = [];
  const track = (socket: Socket): Socket => (open.push(socket), socket);
  return {
    connect: async (url, token) => track(await connectSocket(url, token)),
    track,
    closeAll: () => {
      for (const s of open.splice(0)) s.close();
    },
  };
}
