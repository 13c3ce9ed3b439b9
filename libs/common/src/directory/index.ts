export { ContactDirectory } from './contact-directory.js';
export { PresenceDirectory, type PresenceView } from './presence-directory.js';
