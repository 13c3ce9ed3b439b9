/** The connections module's public surface: other modules import from here only. */
export { ConnectionsModule } from './connections.module.js';
export { ConnectionsService } from './connections.service.js';
export { RequestsService, notFoundToken } from './requests.service.js';
export { ConnectionRequestDto } from './dto/request.dto.js';
export { ConnectionsJob, type ConnectionsJobPayloads, ConnectionsQueue } from './connections.jobs.js';
