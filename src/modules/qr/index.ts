/** The QR module's public surface. */
export { QrModule } from './qr.module.js';
export { QrJob, type QrJobPayloads, QrQueue } from './qr.jobs.js';
