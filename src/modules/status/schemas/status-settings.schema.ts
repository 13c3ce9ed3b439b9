import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { AudienceMode } from './status.schema.js';

/**
 * A user's status settings, `_id` = user id (an `_id` lookup). `userIds` is replaced whole on every change
 * (never edited in place); mutes are a map keyed by the muted author's id (`$set`/`$unset mutes.<id>`).
 */
@Schema({ collection: 'status_settings', versionKey: false })
export class StatusSettings {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, default: 'contacts' })
  mode!: AudienceMode;

  /** The except-list (`contacts_except`) or the only-list (`only`). */
  @Prop({ type: [String], default: [] })
  userIds!: string[];

  @Prop({ type: Boolean, default: true })
  readReceipts!: boolean;

  @Prop({ type: Map, of: Boolean, default: {} })
  mutes!: Map<string, boolean>;
}

export const StatusSettingsSchema = SchemaFactory.createForClass(StatusSettings);

export interface StatusSettingsRecord {
  _id: string;
  mode: AudienceMode;
  userIds: string[];
  readReceipts: boolean;
  mutes: Record<string, boolean>;
}
