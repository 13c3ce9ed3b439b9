/** The presence module's public surface: other modules import from here only. */
export { PresenceModule } from './presence.module.js';
export { ConnectedDevices, ConnectedDevicesModule } from './connected-devices.js';
