/** The chat module's public surface: other modules import from here only. */
export { ChatModule } from './chat.module.js';
export { ChatMuteModule } from './chat-mute.module.js';
export { ChatMuteService } from './chat-mute.service.js';
