// Bits of the tagging the scan does as it cuts tokens (token-tags.ts): each is a necessary condition for one detector to
// find anything, so a detector whose bit is clear skips a token, or returns at once.

/** Per token: the token can start a finding of detectNumbers (numbers.ts). */
export const T_NUMBER = 1;
/** Per token: the token can start a date (dates.ts): a 1, 2 or 4 digit group before a date separator and a digit, 8 digits, a day before a month name, a month name. */
export const T_DATE = 2;

/** Per scan: some token has T_NUMBER. */
export const S_NUMBER = 1 << 0;
/** Per scan: some token has T_DATE. */
export const S_DATE = 1 << 1;
/** Per scan: a group of 1-3 digits, a dot, a digit (an IPv4 address, a DICOM UID, a decimal coordinate). */
export const S_DOTTED = 1 << 2;
/** Per scan: a city label (geo.ts). */
export const S_CITY = 1 << 3;
/** Per scan: a number in the age range or a year that implies an age over 89 (ages.ts). */
export const S_AGE = 1 << 4;
/** Per scan: any label word (labelled-ids.ts). */
export const S_LABEL = 1 << 5;
/** Per scan: a two-hex-digit segment before `:` or `-`, or a four-hex-digit one before `.` (mac-addresses.ts). */
export const S_MAC = 1 << 6;
/** Per scan: a segment of an MBI, DEA or VIN length (structured-ids.ts). */
export const S_STRUCTURED = 1 << 7;
/** Per scan: a street suffix after a number, `po`, or a capitalised two-letter word before digits (street-addresses.ts). */
export const S_STREET = 1 << 8;
/** Per scan: a word that can make a number an age: an age or birth-year label, `yo`, `years`, `born` (ages.ts). */
export const S_AGE_WORD = 1 << 9;
/** Per scan: `at` or a mail provider, which a slugged address needs (emails.ts). */
export const S_MAIL_WORD = 1 << 10;
/** Per scan: a label after which a word is a name (`patient`, `owner`, `dr`; names.ts). */
export const S_NAME_LABEL = 1 << 11;
