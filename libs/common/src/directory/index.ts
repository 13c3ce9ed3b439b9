export { type CallMessageInfo, ChatPoster, type PostedMessage, type PostMessageInput, type StatusRefInfo } from './chat-poster.js';
export { ContactDirectory } from './contact-directory.js';
export { chatIdOfMediaRef, isMediaRef, messageMediaRef, statusMediaRef } from './media-refs.js';
export { MediaDirectory, type MediaKind, type MediaStatus, type MediaSummary, type MediaUrls } from './media-directory.js';
export { PresenceDirectory, type PresenceView } from './presence-directory.js';
