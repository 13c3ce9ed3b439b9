import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { nativeCollection, storeOnce } from '@app/common';
import { Block, blockId } from './schemas/block.schema.js';
import { Connection, connectionId } from './schemas/connection.schema.js';

interface ConnectionDoc {
  _id: string;
  owner: string;
  peer: string;
  createdAt: Date;
}

interface BlockDoc {
  _id: string;
  blocker: string;
  blocked: string;
  createdAt: Date;
}

export interface ConnectionRow {
  peer: string;
  createdAt: Date;
}

export interface BlockRow {
  blocked: string;
  createdAt: Date;
}

/** A page position: rows strictly older than (createdAt, id), newest first. */
export interface PageAfter {
  createdAt: Date;
  id: string;
}

/** Connections and blocks: both keyed by deterministic `_id`s so the checks are `_id` lookups. */
@Injectable()
export class ConnectionsRepository {
  constructor(
    @InjectModel(Connection.name) private readonly connections: Model<Connection>,
    @InjectModel(Block.name) private readonly blocks: Model<Block>,
  ) {}

  async isConnected(owner: string, peer: string): Promise<boolean> {
    return (await this.connections.exists({ _id: connectionId(owner, peer) })) !== null;
  }

  /** Writes both directions; a direction that already exists is left as it is (idempotent). */
  async connect(a: string, b: string, at: Date): Promise<void> {
    const docs: ConnectionDoc[] = [
      { _id: connectionId(a, b), owner: a, peer: b, createdAt: at },
      { _id: connectionId(b, a), owner: b, peer: a, createdAt: at },
    ];
    const collection = nativeCollection<ConnectionDoc>(this.connections);
    for (const doc of docs)
      await storeOnce(
        () => collection.insertOne(doc),
        () => Promise.resolve(null),
      );
  }

  /** Deletes both directions; true when there was something to delete. */
  async disconnect(a: string, b: string): Promise<boolean> {
    const [x, y] = await Promise.all([
      this.connections.deleteOne({ _id: connectionId(a, b) }),
      this.connections.deleteOne({ _id: connectionId(b, a) }),
    ]);
    return x.deletedCount + y.deletedCount > 0;
  }

  async peersOf(owner: string): Promise<string[]> {
    const rows = await this.connections.find({ owner }, { peer: 1, _id: 0 }).lean<{ peer: string }[]>();
    return rows.map((r) => r.peer);
  }

  async page(owner: string, limit: number, after: PageAfter | null): Promise<ConnectionRow[]> {
    return this.connections
      .find({ owner, ...olderThan(after, 'peer') }, { peer: 1, createdAt: 1, _id: 0 })
      .sort({ createdAt: -1, peer: -1 })
      .limit(limit)
      .lean<ConnectionRow[]>();
  }

  async isBlocked(blocker: string, blocked: string): Promise<boolean> {
    return (await this.blocks.exists({ _id: blockId(blocker, blocked) })) !== null;
  }

  /** Idempotent: blocking twice keeps the first block. */
  async block(blocker: string, blocked: string, at: Date): Promise<BlockRow> {
    const _id = blockId(blocker, blocked);
    const result = await storeOnce(
      () => nativeCollection<BlockDoc>(this.blocks).insertOne({ _id, blocker, blocked, createdAt: at }),
      () => this.blocks.findById(_id, { blocked: 1, createdAt: 1, _id: 0 }).lean<BlockRow>().exec(),
    );
    return (result.stored ? null : result.of) ?? { blocked, createdAt: at };
  }

  async unblock(blocker: string, blocked: string): Promise<boolean> {
    return (await this.blocks.deleteOne({ _id: blockId(blocker, blocked) })).deletedCount > 0;
  }

  async blockPage(blocker: string, limit: number, after: PageAfter | null): Promise<BlockRow[]> {
    return this.blocks
      .find({ blocker, ...olderThan(after, 'blocked') }, { blocked: 1, createdAt: 1, _id: 0 })
      .sort({ createdAt: -1, blocked: -1 })
      .limit(limit)
      .lean<BlockRow[]>();
  }

  /** user.deleted: every connection and block the user is part of, both directions; returns the former contacts. */
  async deleteAllOf(userId: string): Promise<string[]> {
    const peers = await this.peersOf(userId);
    await this.connections.deleteMany({ owner: userId });
    if (peers.length > 0) await this.connections.deleteMany({ _id: { $in: peers.map((p) => connectionId(p, userId)) } });
    // Reverse directions whose owner-side document is already gone (an interrupted delete).
    await this.connections.deleteMany({ peer: userId });
    await this.blocks.deleteMany({ blocker: userId });
    await this.blocks.deleteMany({ blocked: userId });
    return peers;
  }
}

function olderThan(after: PageAfter | null, idField: string): Record<string, unknown> {
  if (!after) return {};
  return { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, [idField]: { $lt: after.id } }] };
}
