import { HttpStatus, Injectable } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@app/common';
import { HandshakeRefused, SocketAuthenticator, SocketGateway, type SocketIdentity, SocketUser } from '@app/realtime';
import { cleanupTestData, connectRefusal, emitWithAck, nextEvent, socketPool, testConfig, testEnv, waitForDisconnect } from '@test/support';
import { AppModule } from '../../src/app.module.js';
import { configureApiApp } from '../../src/core/http/configure-app.js';

/**
 * The socket handler infrastructure every feature gateway uses (ack shape, validation, errors, limits),
 * exercised through a gateway that exists only in this test. The handshake is the real middleware with
 * a stand-in authenticator (token "userId:sessionId"), so this suite does not depend on the auth module;
 * the real JWT handshake is covered in gateway.e2e-spec.ts.
 */
@Injectable()
class TokenIsIdentity extends SocketAuthenticator {
  authenticate(socket: { handshake: { auth: Record<string, unknown> } }): Promise<SocketIdentity> {
    const token = socket.handshake.auth.token;
    const [userId, sessionId] = typeof token === 'string' ? token.split(':') : [];
    if (!userId || !sessionId) return Promise.reject(new HandshakeRefused('unauthorized'));
    return Promise.resolve({ userId, sessionId });
  }
}

class EchoDto {
  @IsString()
  text!: string;

  @IsInt()
  @Min(0)
  @Max(10)
  times!: number;
}

@SocketGateway()
class ProbeGateway {
  @SubscribeMessage('probe:echo')
  echo(@SocketUser() user: SocketIdentity, @MessageBody() dto: EchoDto): { userId: string; text: string; isDto: boolean } {
    return { userId: user.userId, text: dto.text.repeat(dto.times), isDto: dto instanceof EchoDto };
  }

  @SubscribeMessage('probe:void')
  nothing(): void {}

  @SubscribeMessage('probe:refuse')
  refuse(): never {
    throw new AppError(HttpStatus.FORBIDDEN, 'not_participant', 'You are not in this chat');
  }

  @SubscribeMessage('probe:crash')
  async crash(): Promise<never> {
    await Promise.resolve();
    throw new Error('mongodb://user:secret@db exploded');
  }
}

const RATE = {
  SOCKET_RATE_LIMIT_EVENTS: '20',
  SOCKET_RATE_LIMIT_WINDOW_MS: '60000',
  SOCKET_MAX_PAYLOAD_BYTES: '4096',
  CORS_ORIGINS: 'https://app.example',
};

describe('socket handlers', () => {
  let app: NestExpressApplication;
  let url: string;
  const env = testEnv(RATE);
  const sockets = socketPool();
  const connect = (token = 'u1:s1'): Promise<Socket> => sockets.connect(url, token);

  beforeAll(async () => {
    const config = testConfig(env);
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)], providers: [ProbeGateway] })
      .overrideProvider(SocketAuthenticator)
      .useClass(TokenIsIdentity)
      .compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
    configureApiApp(app, config);
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await cleanupTestData(env);
    await app.close();
  });

  it('refuses a handshake the authenticator refuses, with its reason', async () => {
    expect(await connectRefusal(url, 'garbage')).toBe('unauthorized');
  });

  it('accepts only allowed browser origins (native clients send none)', async () => {
    const fromPage = (origin: string): Promise<string> =>
      new Promise((resolve) => {
        const socket = io(url, {
          auth: { token: 'u1:s1' },
          transports: ['websocket'],
          reconnection: false,
          extraHeaders: { Origin: origin },
        });
        socket.on('connect', () => (socket.close(), resolve('connected')));
        socket.on('connect_error', () => (socket.close(), resolve('refused')));
      });
    expect(await fromPage('https://evil.example')).toBe('refused');
    expect(await fromPage('https://app.example')).toBe('connected');
  });

  it('answers through the ack with { ok: true, data }, acting as the handshake user', async () => {
    const socket = await connect('u1:s1');
    expect(await emitWithAck(socket, 'probe:echo', { text: 'ab', times: 2 })).toEqual({
      ok: true,
      data: { userId: 'u1', text: 'abab', isDto: true },
    });
    expect(await emitWithAck(socket, 'probe:void', {})).toEqual({ ok: true, data: null });
  });

  it('refuses invalid payloads with validation_failed and the field messages', async () => {
    const socket = await connect();
    const ack = await emitWithAck(socket, 'probe:echo', { text: 'a', times: 99, userId: 'someone-else' });
    expect(ack).toMatchObject({
      ok: false,
      error: {
        code: 'validation_failed',
        fields: { times: ['times must not be greater than 10'], userId: ['property userId should not exist'] },
      },
    });
    const operator = await emitWithAck(socket, 'probe:echo', { text: { $ne: '' }, times: 1 });
    expect(operator).toMatchObject({ ok: false, error: { code: 'validation_failed', fields: { 'text.$ne': expect.any(Array) } } });
    expect(await emitWithAck(socket, 'probe:echo', 'not an object')).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });

  it("passes an AppError's code and hides unknown errors behind 'internal'", async () => {
    const socket = await connect();
    expect(await emitWithAck(socket, 'probe:refuse', {})).toEqual({
      ok: false,
      error: { code: 'not_participant', message: 'You are not in this chat' },
    });
    expect(await emitWithAck(socket, 'probe:crash', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Internal server error' },
    });
  });

  it('sends an error event when the failing event had no ack callback', async () => {
    const socket = await connect();
    const error = nextEvent(socket, 'error');
    socket.emit('probe:refuse', {});
    expect(await error).toEqual({ event: 'probe:refuse', code: 'not_participant', message: 'You are not in this chat' });
  });

  it('refuses events over the per-socket limit, then cuts a flooding socket off with a reason', async () => {
    const socket = await connect('u2:s2');
    const answers = await Promise.all(Array.from({ length: 21 }, () => emitWithAck(socket, 'probe:void', {})));
    expect(answers.slice(0, 20).every((a) => a.ok)).toBe(true);
    expect(answers[20]).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterSeconds: expect.any(Number) } });
    const cutOff = nextEvent(socket, 'error', 5000, (e: { message: string }) => /disconnected/.test(e.message));
    const gone = waitForDisconnect(socket);
    for (let i = 0; i < 40; i++) socket.emit('probe:void', {});
    expect(await cutOff).toMatchObject({ code: 'rate_limited' });
    expect(await gone).toBe('io server disconnect');
    // Another socket of the same user is not punished.
    const other = await connect('u2:s3');
    expect(await emitWithAck(other, 'probe:void', {})).toEqual({ ok: true, data: null });
  });

  it('disconnects a socket that sends a payload over SOCKET_MAX_PAYLOAD_BYTES', async () => {
    const socket = await connect();
    const gone = waitForDisconnect(socket);
    socket.emit('probe:echo', { text: 'x'.repeat(10_000), times: 1 });
    expect(await gone).toMatch(/transport (close|error)/);
  });
});
