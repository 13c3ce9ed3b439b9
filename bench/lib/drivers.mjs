// The load generator's two client protocols, behind one small interface, so the same 1-1 workload
// (send with ack, delivery to the peer, receipts, a little typing) runs against the api and the relay
// (Socket.IO, socket.io-client) and against Centrifugo (its own protocol, the `centrifuge` client).
//   connect(user) -> conn;  conn.send(chat, clientMessageId, text) -> Promise<ack>;
//   conn.onReceive(fn(msg: { chatId, seq, clientMessageId }));  conn.receipt(chat, kind, seq) -> Promise;
//   conn.typing(chat);  conn.close()
import { Centrifuge } from 'centrifuge';
import { io } from 'socket.io-client';

export function socketIoDriver(urlOf) {
  return {
    name: 'socket.io',
    connect(user, index) {
      const socket = io(urlOf(index), {
        auth: { token: user.token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: 20_000,
      });
      return new Promise((resolve, reject) => {
        socket.once('connect', () =>
          resolve({
            send: (chat, clientMessageId, text) =>
              new Promise((res) => socket.emit('chat:send', { chatId: chat.chatId, clientMessageId, text }, res)),
            onReceive: (fn) => socket.on('chat:receive', fn),
            receipt: (chat, kind, seq) =>
              new Promise((res) =>
                socket.emit(kind === 'seen' ? 'message:seen' : 'message:delivered', { chatId: chat.chatId, upToSeq: seq }, res),
              ),
            typing: (chat) => socket.emit('chat:typing', { chatId: chat.chatId, typing: true }, () => {}),
            close: () => socket.close(),
            raw: socket,
          }),
        );
        socket.once('connect_error', (err) => reject(new Error(`connect: ${err.message}`)));
      });
    },
  };
}

/**
 * Centrifugo: each user subscribes to its own channel `u_<userId>` (`:` would name a namespace) (history on); a send is a publish
 * into the peer's channel (acked once it is in the channel's history), a receipt a publish into the
 * sender's. There is no server-side seq per chat: the receiver uses the stream offset as the seq.
 */
export function centrifugeDriver(url) {
  return {
    name: 'centrifuge',
    connect(user) {
      const client = new Centrifuge(url, { token: user.token, websocket: WebSocket });
      const sub = client.newSubscription(`u_${user.userId}`);
      const handlers = [];
      sub.on('publication', (ctx) => {
        const d = ctx.data;
        if (d?.k === 'm')
          for (const fn of handlers) fn({ chatId: d.chatId, seq: Number(ctx.offset ?? 0), clientMessageId: d.clientMessageId });
      });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('centrifuge subscribe timeout')), 20_000);
        sub.once('subscribed', () => {
          clearTimeout(timer);
          resolve({
            send: (chat, clientMessageId, text) => {
              const peer = chat.a.userId === user.userId ? chat.b : chat.a;
              return client.publish(`u_${peer.userId}`, { k: 'm', chatId: chat.chatId, clientMessageId, text }).then(
                () => ({ ok: true }),
                (err) => ({ ok: false, error: { code: `centrifugo_${err?.code ?? 'error'}` } }),
              );
            },
            onReceive: (fn) => handlers.push(fn),
            receipt: (chat, kind, seq) => {
              const peer = chat.a.userId === user.userId ? chat.b : chat.a;
              return client.publish(`u_${peer.userId}`, { k: kind, chatId: chat.chatId, upToSeq: seq }).then(
                () => ({ ok: true }),
                () => ({ ok: false }),
              );
            },
            typing: (chat) => {
              const peer = chat.a.userId === user.userId ? chat.b : chat.a;
              client.publish(`u_${peer.userId}`, { k: 't', chatId: chat.chatId }).catch(() => {});
            },
            close: () => client.disconnect(),
          });
        });
        sub.once('error', (ctx) => reject(new Error(`centrifuge subscription: ${ctx.error?.message}`)));
        client.once('disconnected', (ctx) => reject(new Error(`centrifuge disconnected: ${ctx.reason}`)));
        sub.subscribe();
        client.connect();
      });
    },
  };
}

/** Opens connections `concurrency` at a time (a burst of thousands of handshakes at once times out). */
export async function connectAll(driver, users, concurrency = 100) {
  const conns = new Array(users.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, users.length) }, async () => {
      while (next < users.length) {
        const i = next++;
        conns[i] = await driver.connect(users[i], i);
      }
    }),
  );
  return conns;
}
