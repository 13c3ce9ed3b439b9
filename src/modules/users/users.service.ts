import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { AppError, DomainEventBus } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import type { MeDto, PublicUserDto } from './dto/user.dto.js';
import type { Identifier } from './identifier.js';
import { type UserRecord, UsersRepository } from './users.repository.js';

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly repo: UsersRepository,
    private readonly events: DomainEventBus,
    private readonly realtime: RealtimeEmitter,
  ) {}

  /** The account an identifier signs in to, created on first sign-in. */
  async findOrCreateByIdentifier(identifier: Identifier): Promise<{ user: UserRecord; isNewUser: boolean }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = await this.repo.findIdentifier(identifier.value);
      if (existing) {
        const user = await this.repo.findUser(existing.userId);
        if (user) return { user, isNewUser: false };
        // Left behind by an interrupted account deletion: free it and sign up afresh.
        await this.repo.deleteIdentifiersOf(existing.userId);
        continue;
      }
      const user = await this.repo.createUser();
      if ((await this.repo.insertIdentifier(user.id, identifier)).stored) return { user, isNewUser: true };
      // Someone signed up with this identifier at the same moment: theirs wins, read it again.
      await this.repo.deleteUser(user.id);
    }
    throw new AppError(HttpStatus.CONFLICT, 'identifier_busy', 'This identifier is being signed up concurrently; try again');
  }

  /** Links a verified phone or email to an account that has none of that type yet. */
  async addIdentifier(userId: string, identifier: Identifier): Promise<MeDto> {
    const mine = await this.repo.identifiersOf(userId);
    if (mine.some((i) => i.value === identifier.value)) return this.me(userId);
    if (mine.some((i) => i.type === identifier.type)) {
      throw new AppError(HttpStatus.CONFLICT, 'identifier_type_exists', `This account already has a ${identifier.type}`);
    }
    const result = await this.repo.insertIdentifier(userId, identifier);
    if (!result.stored) {
      // A concurrent link to this account (of this value or this type), or the identifier is someone else's.
      if (result.of?.userId === userId) {
        if (result.of.value === identifier.value) return this.me(userId);
        throw new AppError(HttpStatus.CONFLICT, 'identifier_type_exists', `This account already has a ${identifier.type}`);
      }
      throw new AppError(HttpStatus.CONFLICT, 'identifier_taken', `This ${identifier.type} belongs to another account`);
    }
    return this.me(userId);
  }

  async me(userId: string): Promise<MeDto> {
    const [user, identifiers] = await Promise.all([this.repo.findUser(userId), this.repo.identifiersOf(userId)]);
    if (!user) throw new AppError(HttpStatus.NOT_FOUND, 'user_not_found', 'User not found');
    return {
      id: user.id,
      phone: identifiers.find((i) => i.type === 'phone')?.value ?? null,
      email: identifiers.find((i) => i.type === 'email')?.value ?? null,
      createdAt: user.createdAt.toISOString(),
    };
  }

  /** Public fields of any user; other modules (profile) add theirs in the controller. */
  async publicUser(userId: string): Promise<PublicUserDto> {
    const user = await this.repo.findUser(userId);
    if (!user) throw new AppError(HttpStatus.NOT_FOUND, 'user_not_found', 'User not found');
    return { id: user.id };
  }

  async exists(userId: string): Promise<boolean> {
    return (await this.repo.findUser(userId)) !== null;
  }

  /**
   * Deletes the account: identifiers are freed first (so they can sign up again at once), then the
   * user document; listeners of 'user.deleted' (auth revokes sessions, profile/connections/chat erase
   * their data) run before this returns, then every socket of the user is dropped.
   */
  async deleteAccount(userId: string): Promise<void> {
    await this.repo.deleteIdentifiersOf(userId);
    await this.repo.deleteUser(userId);
    try {
      await this.events.emitAsync('user.deleted', { userId });
    } catch (err) {
      this.logger.error({ err, userId }, 'a user.deleted listener failed');
    }
    this.realtime.disconnectUser(userId);
  }
}
