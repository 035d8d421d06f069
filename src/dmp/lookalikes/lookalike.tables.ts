/** Tables of this feature (filled in with the feature). */
// biome-ignore lint/complexity/noBannedTypes: filled in with the feature
export type DmpLookalikeTables = {};
