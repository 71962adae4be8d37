// phiseal's attribute actions as the Java DB-ESDK's CryptoAction names.
export const JAVA_ACTION = {
  encrypt: 'ENCRYPT_AND_SIGN',
  sign: 'SIGN_ONLY',
  'sign-in-context': 'SIGN_AND_INCLUDE_IN_ENCRYPTION_CONTEXT',
  plain: 'DO_NOTHING',
} as const;
