import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

export const PUSH_PLATFORMS = ['web', 'fcm', 'apns', 'apns-voip'] as const;
export type PushPlatform = (typeof PUSH_PLATFORMS)[number];

/** A browser's PushSubscription.toJSON(), as the browser gives it. */
export interface WebPushSubscription {
  endpoint: string;
  expirationTime: number | null;
  keys: { p256dh: string; auth: string };
}

/**
 * One device a user receives pushes on. `_id` is derived from (platform, token or endpoint), so
 * registering the same token again is an upsert by `_id` (idempotent, and a token that moved to another
 * account follows it). A web subscription also remembers the session that registered it: when the
 * browser rotates its subscription, the new one from that session replaces the old.
 */
@Schema({ collection: 'push_devices', timestamps: true, versionKey: false })
export class PushDevice {
  /** Derived from (platform, token or endpoint): see deviceIdFor. */
  @Prop({ type: String })
  _id!: string;

  @Prop({ type: Types.ObjectId, required: true })
  userId!: Types.ObjectId;

  @Prop({ type: String, required: true })
  sessionId!: string;

  @Prop({ type: String, required: true, enum: PUSH_PLATFORMS })
  platform!: PushPlatform;

  /** FCM registration token or APNs device token; null for web. */
  @Prop({ type: String, default: null })
  token!: string | null;

  @Prop({ type: Object, default: null })
  subscription!: WebPushSubscription | null;

  createdAt!: Date;
  updatedAt!: Date;
}

export const PushDeviceSchema = SchemaFactory.createForClass(PushDevice);

// Fan-out and GET /push/devices: a user's devices.
PushDeviceSchema.index({ userId: 1 });

export interface PushDeviceRecord {
  _id: string;
  userId: Types.ObjectId;
  sessionId: string;
  platform: PushPlatform;
  token: string | null;
  subscription: WebPushSubscription | null;
  createdAt: Date;
  updatedAt: Date;
}
