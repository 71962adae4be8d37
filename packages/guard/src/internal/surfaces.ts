import type { Surface } from '../types.js';

/**
 * How a surface shapes its strings. An S3 key is a path, so `2024/11/03` between slashes is
 * a partition, not a date of birth; a tag or metadata value is free text, where a
 * capitalised `Jane Roe` reads as a name even when the surname is not in the bundled list.
 */
export type SurfaceProfile = {
  readonly path: boolean;
  readonly freeText: boolean;
};

const PATH: SurfaceProfile = { path: true, freeText: false };
const NAME: SurfaceProfile = { path: false, freeText: false };
const TEXT: SurfaceProfile = { path: false, freeText: true };

/** The profile of a surface; unknown surfaces are treated as free text (the broadest rules). */
export function profileOf(where: Surface | undefined): SurfaceProfile {
  switch (where) {
    case 's3.key':
      return PATH;
    case 's3.bucket':
    case 'dynamodb.table':
    case 'dynamodb.index':
    case 'dynamodb.attributeName':
    case 'sqs.queue':
    case 'kms.alias':
      return NAME;
    default:
      return TEXT;
  }
}
