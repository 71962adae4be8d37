// Attribute names the format owns (the DB-ESDK's aws_dbe_ prefix). Users' items may not use
// the prefix, so a header, footer or beacon can never collide with (or be forged as) a user
// attribute.

export { BEACON_PREFIX, FOOTER_ATTRIBUTE, HEADER_ATTRIBUTE, RESERVED_PREFIX } from './dbesdk/item-schema.js';
