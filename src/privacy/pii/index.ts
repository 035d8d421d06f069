export { detectPiiKey, type PiiKeyKind } from './detect-key.js';
export { detectAllPii, detectPii, type PiiKind, type PiiMatch } from './detect-value.js';
export { hashEmailForId, isSha256Hex, normalizeEmail } from './hash-email.js';
export {
  type PiiFinding,
  type ScanOptions,
  type ScanReport,
  scanForPii,
  scanForPiiReport,
} from './scan.js';
