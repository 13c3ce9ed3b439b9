/** The notifications module's public surface. */
export { NotificationsModule } from './notifications.module.js';
export { NotificationsQueue } from './notifications.jobs.js';
