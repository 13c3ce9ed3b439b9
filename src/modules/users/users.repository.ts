import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { oid, type Stored, storeOnce } from '@app/common';
import type { Identifier, IdentifierType } from './identifier.js';
import { User } from './schemas/user.schema.js';
import { UserIdentifier } from './schemas/user-identifier.schema.js';

export interface UserRecord {
  id: string;
  createdAt: Date;
}

export interface IdentifierRecord {
  type: IdentifierType;
  value: string;
  userId: string;
}

/** The only code touching the users and user_identifiers collections; returns plain objects. */
@Injectable()
export class UsersRepository {
  constructor(
    @InjectModel(User.name) private readonly users: Model<User>,
    @InjectModel(UserIdentifier.name) private readonly identifiers: Model<UserIdentifier>,
  ) {}

  async createUser(): Promise<UserRecord> {
    const doc = await this.users.create({ _id: new Types.ObjectId() });
    return { id: doc._id.toHexString(), createdAt: doc.createdAt };
  }

  async findUser(userId: string): Promise<UserRecord | null> {
    const doc = await this.users.findById(userId).lean();
    return doc ? { id: doc._id.toHexString(), createdAt: doc.createdAt } : null;
  }

  async deleteUser(userId: string): Promise<boolean> {
    const res = await this.users.deleteOne({ _id: oid(userId) });
    return res.deletedCount > 0;
  }

  async findIdentifier(value: string): Promise<IdentifierRecord | null> {
    const doc = await this.identifiers.findById(value).lean();
    return doc ? { type: doc.type, value: doc._id, userId: doc.userId } : null;
  }

  /**
   * Stored, or the identifier it collides with: the same value (whoever owns it), else this account's
   * identifier of that type (unique per account). E11000 does not say which index refused it (FerretDB
   * gives no keyPattern), so the repository looks.
   */
  async insertIdentifier(userId: string, identifier: Identifier): Promise<Stored<void, IdentifierRecord>> {
    return storeOnce(
      async () => {
        await this.identifiers.create({ _id: identifier.value, type: identifier.type, userId });
      },
      async () =>
        (await this.findIdentifier(identifier.value)) ?? (await this.identifiersOf(userId)).find((i) => i.type === identifier.type) ?? null,
    );
  }

  async identifiersOf(userId: string): Promise<IdentifierRecord[]> {
    const docs = await this.identifiers.find({ userId }).sort({ createdAt: 1 }).lean();
    return docs.map((d) => ({ type: d.type, value: d._id, userId: d.userId }));
  }

  async deleteIdentifiersOf(userId: string): Promise<void> {
    await this.identifiers.deleteMany({ userId });
  }
}
