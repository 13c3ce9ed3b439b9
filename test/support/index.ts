export { randomClientIp, readOtp, signUp, type SignedUpUser, uniqueEmail } from './auth.js';
export { cleanupTestData } from './cleanup.js';
export { codeInMail, type Mail, type Mailbox, startMailbox } from './mailbox.js';
export { connectUsers } from './connections.js';
export { type ApiProcess, freePort, runProcess, type RunningProcess, startApiProcess } from './processes.js';
export { type Ack, connectRefusal, connectSocket, emitWithAck, nextEvent, noEvent, socketPool, waitForDisconnect } from './sockets.js';
export { startTestApi, type TestApi } from './test-app.js';
export { type Env, testConfig, testEnv } from './test-env.js';
export { collectGarbage, peakRssDuring, rssOf, startInspectedApi } from './memory.js';
