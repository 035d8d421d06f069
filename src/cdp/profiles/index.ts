export { identifiersOf, resolveProfileId } from './profile.repository.js';
export { findProfileId, getProfile } from './profile.service.js';
