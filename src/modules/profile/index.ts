/** The profile module's public surface: other modules import from here only. */
export { PrivacySettingsDto } from './dto/privacy.dto.js';
export { ProfileDto, PublicProfileDto } from './dto/profile.dto.js';
export { type Audience, type PrivacySettings } from './privacy.js';
export { ProfileJob, ProfileQueue } from './profile.jobs.js';
export { ProfileModule } from './profile.module.js';
export { type OwnProfile, ProfileService, type PublicProfile } from './profile.service.js';
