/** The users module's public surface: other modules import from here only. */
export { MeDto, PublicUserDto } from './dto/user.dto.js';
export { type Identifier, type IdentifierType, normaliseIdentifier } from './identifier.js';
export type { UserRecord } from './users.repository.js';
export { UsersModule } from './users.module.js';
export { UsersService } from './users.service.js';
