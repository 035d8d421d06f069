export { estimateFromHistogram, relativeStandardError } from './ertl-estimator.js';
export {
  DEFAULT_EXACT_LIMIT,
  DEFAULT_PRECISION,
  HASH_BITS,
  HyperLogLog,
  type HyperLogLogOptions,
  type ReachInterval,
} from './hyperloglog.js';
export { estimateIntersection, type IntersectionEstimate } from './intersection.js';
export { murmur3x64, murmur3x64Hex } from './murmur3.js';
export { SketchFormatError } from './sketch-codec.js';
