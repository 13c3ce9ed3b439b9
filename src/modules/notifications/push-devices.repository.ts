import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { PushDevice, type PushDeviceRecord } from './schemas/push-device.schema.js';

const oid = (id: string): Types.ObjectId => new Types.ObjectId(id);

/** The only code touching push_devices. */
@Injectable()
export class PushDevicesRepository {
  constructor(@InjectModel(PushDevice.name) private readonly devices: Model<PushDevice>) {}

  /** Registers or refreshes a device by its derived `_id` (the token's owner is whoever registered it last). */
  async upsert(
    device: Omit<PushDeviceRecord, 'createdAt' | 'updatedAt' | 'userId'> & { userId: string },
    now = new Date(),
  ): Promise<PushDeviceRecord> {
    const { _id, userId, ...rest } = device;
    const fields = { ...rest, userId: oid(userId) };
    const doc = await this.devices.collection.findOneAndUpdate(
      { _id } as Record<string, unknown>,
      { $set: { ...fields, updatedAt: now }, $setOnInsert: { createdAt: now } },
      { upsert: true, returnDocument: 'after' },
    );
    return doc as unknown as PushDeviceRecord;
  }

  listOf(userId: string): Promise<PushDeviceRecord[]> {
    return this.devices
      .find({ userId: oid(userId) })
      .sort({ createdAt: 1 })
      .lean<PushDeviceRecord[]>()
      .exec();
  }

  findById(id: string): Promise<PushDeviceRecord | null> {
    return this.devices.findById(id).lean<PushDeviceRecord>().exec();
  }

  async deleteOwned(userId: string, id: string): Promise<boolean> {
    const res = await this.devices.deleteOne({ _id: id, userId: oid(userId) }).exec();
    return res.deletedCount > 0;
  }

  /** Pruning after the push service said the device is gone: only that device. */
  async deleteById(id: string): Promise<void> {
    await this.devices.deleteOne({ _id: id }).exec();
  }

  /** A browser rotated its subscription: the session's older web subscriptions go. */
  async deleteOtherWebOfSession(userId: string, sessionId: string, keepId: string): Promise<void> {
    await this.devices.deleteMany({ userId: oid(userId), sessionId, platform: 'web', _id: { $ne: keepId } }).exec();
  }

  async deleteAllOf(userId: string): Promise<void> {
    await this.devices.deleteMany({ userId: oid(userId) }).exec();
  }
}
