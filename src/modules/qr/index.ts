/** The QR module's public surface. */
export { QrModule } from './qr.module.js';
