// Terminal type ids (dynamodb-encryption-client/ddb-attribute-serialization.md "Type ID").
// They appear in the footer's canonical record, inside serialized maps and lists, and as the
// first two bytes of every encrypted attribute.

export const TYPE_NULL = 0x0000;
export const TYPE_S = 0x0001;
export const TYPE_N = 0x0002;
export const TYPE_BOOL = 0x0004;
export const TYPE_SS = 0x0101;
export const TYPE_NS = 0x0102;
export const TYPE_BS = 0x01ff;
export const TYPE_M = 0x0200;
export const TYPE_L = 0x0300;
/** Binary, and also the type of every encrypted attribute, the header and the footer. */
export const TYPE_B = 0xffff;
