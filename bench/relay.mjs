// The baseline: a bare in-memory Socket.IO relay with the same event shapes as the api (chat:send with
// ack, chat:receive to both participants except the sending socket, chat:sent to the sender,
// message:delivered / message:seen markers with ack relayed to both, chat:typing relayed to the peer),
// no database, no auth, no Redis. The
// handshake token is the user id; a chat id is "<userA>:<userB>". What the api would do with free storage.
// Usage: node bench/relay.mjs <port>   (prints "relay listening on <port>")
import { randomBytes } from 'node:crypto';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 0);
const io = new Server({ transports: ['websocket'], maxHttpBufferSize: 65_536 });
const seqs = new Map();
const byClientId = new Map(); // idempotency, as the api: (sender, clientMessageId) -> message

io.use((socket, next) => {
  const token = socket.handshake.auth?.token;
  if (typeof token !== 'string' || !token) return next(new Error('unauthorized'));
  socket.data.userId = token;
  next();
});

io.on('connection', (socket) => {
  const userId = socket.data.userId;
  void socket.join(`user:${userId}`);
  socket.on('chat:send', (payload, ack) => {
    const reply = typeof ack === 'function' ? ack : () => {};
    const { chatId, clientMessageId, text } = payload ?? {};
    const participants = typeof chatId === 'string' ? chatId.split(':') : [];
    if (participants.length !== 2 || !participants.includes(userId) || typeof text !== 'string' || !text.trim()) {
      return reply({ ok: false, error: { code: 'chat_not_found', message: 'Chat not found' } });
    }
    const key = `${userId}|${clientMessageId}`;
    const existing = byClientId.get(key);
    if (existing) return reply({ ok: true, data: existing });
    const seq = (seqs.get(chatId) ?? 0) + 1;
    seqs.set(chatId, seq);
    const message = {
      id: randomBytes(12).toString('hex'),
      chatId,
      seq,
      senderId: userId,
      clientMessageId,
      type: 'text',
      text: text.trim(),
      attachments: [],
      replyTo: null,
      reactions: {},
      editedAt: null,
      deleted: false,
      createdAt: new Date().toISOString(),
    };
    byClientId.set(key, message);
    const peer = participants[0] === userId ? participants[1] : participants[0];
    io.to([`user:${peer}`, `user:${userId}`])
      .except(socket.id)
      .emit('chat:receive', message);
    io.to(`user:${userId}`).emit('chat:sent', message);
    reply({ ok: true, data: message });
  });
  const peerOf = (chatId) => {
    const participants = typeof chatId === 'string' ? chatId.split(':') : [];
    return participants.length === 2 && participants.includes(userId)
      ? participants[0] === userId
        ? participants[1]
        : participants[0]
      : null;
  };
  // Markers as the api keeps them: per chat and user, only forward, relayed only when they moved.
  const markers = new Map();
  for (const kind of ['delivered', 'seen']) {
    socket.on(`message:${kind}`, (payload, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const { chatId, upToSeq } = payload ?? {};
      const peer = peerOf(chatId);
      if (!peer || !Number.isSafeInteger(upToSeq))
        return reply({ ok: false, error: { code: 'chat_not_found', message: 'Chat not found' } });
      const key = `${kind}|${chatId}|${userId}`;
      const next = Math.min(upToSeq, seqs.get(chatId) ?? 0);
      const data = { chatId, userId, upToSeq: Math.max(next, markers.get(key) ?? 0) };
      if (next > (markers.get(key) ?? 0)) {
        markers.set(key, next);
        io.to([`user:${peer}`, `user:${userId}`]).emit(`message:${kind}`, data);
      }
      reply({ ok: true, data });
    });
  }
  socket.on('chat:typing', (payload, ack) => {
    const reply = typeof ack === 'function' ? ack : () => {};
    const peer = peerOf(payload?.chatId);
    if (!peer) return reply({ ok: false, error: { code: 'chat_not_found', message: 'Chat not found' } });
    io.to(`user:${peer}`).emit('chat:typing', { chatId: payload.chatId, userId, typing: payload.typing === true });
    reply({ ok: true, data: { chatId: payload.chatId, typing: payload.typing === true } });
  });
});

io.listen(port);
const actual = io.httpServer?.address()?.port ?? port;
console.log(`relay listening on ${actual}`);
process.on('SIGTERM', () => io.close(() => process.exit(0)));
