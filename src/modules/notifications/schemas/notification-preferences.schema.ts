import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export interface QuietHours {
  /** Local time "HH:MM" in `timeZone`; the window may cross midnight (22:00-07:00). */
  start: string;
  end: string;
  /** IANA time zone, e.g. Europe/Paris. */
  timeZone: string;
}

/** One user's notification settings; `_id` is the user id (looked up by `_id` only). Absent = defaults. */
@Schema({ collection: 'notification_preferences', timestamps: true, versionKey: false })
export class NotificationPreferences {
  /** The user id (hex string). */
  @Prop({ type: String })
  _id!: string;

  /** No push for any chat message (in-app and unread counts unchanged). */
  @Prop({ type: Boolean, default: false })
  muteAllChats!: boolean;

  /** Show the message text in pushes; off: "New message". */
  @Prop({ type: Boolean, default: true })
  previews!: boolean;

  /** No push at all inside this daily window (do not disturb). */
  @Prop({ type: Object, default: null })
  quietHours!: QuietHours | null;
}

export const NotificationPreferencesSchema = SchemaFactory.createForClass(NotificationPreferences);

export interface PreferencesRecord {
  muteAllChats: boolean;
  previews: boolean;
  quietHours: QuietHours | null;
}

export const DEFAULT_PREFERENCES: PreferencesRecord = { muteAllChats: false, previews: true, quietHours: null };
