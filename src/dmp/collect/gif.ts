/** The 43-byte transparent 1x1 GIF every pixel answers with, whatever happened. */
export const TRANSPARENT_GIF = Buffer.from(
  'R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==',
  'base64',
);

export const gifHeaders = {
  'content-type': 'image/gif',
  // A cached pixel would be a lost hit.
  'cache-control': 'no-store, max-age=0',
} as const;
