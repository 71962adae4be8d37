// Envelope-level ESDK settings: which format and suite encrypt writes, which suites decrypt
// reads (client-apis/client.md "Commitment Policy") and the frame length. The EDK limit
// (client.md "Maximum Number of Encrypted Data Keys") is the envelope's maxWrappedKeys.
import { invalidConfiguration } from '../failures.js';
import { COMMITTING, COMMITTING_SIGNED, type Suite } from './suites.js';

export type MessageFormat = 'esdk' | 'compact';
export type AlgorithmSuiteName = 'committing' | 'committing-signed';
export type CommitmentPolicy = 'require-encrypt-require-decrypt' | 'require-encrypt-allow-decrypt';

/** The SDK's default frame length (client-apis/encrypt.md "Frame Length"). */
export const DEFAULT_FRAME_LENGTH = 4096;
/** Frames phiseal writes hold at most 16 MiB (the SDK allows up to 2^32 - 1; readers buffer a frame). */
export const MAX_FRAME_LENGTH = 16 * 1024 * 1024;

export type EsdkSettings = {
  format: MessageFormat;
  suite: Suite;
  allowLegacy: boolean;
  frameLength: number;
};

export type EsdkOptions = {
  format?: MessageFormat;
  algorithmSuite?: AlgorithmSuiteName;
  commitmentPolicy?: CommitmentPolicy;
  frameLength?: number;
};

export function checkFormat(format: unknown, fallback: MessageFormat): MessageFormat {
  if (format === undefined) return fallback;
  if (format !== 'esdk' && format !== 'compact') throw invalidConfiguration('format must be "esdk" or "compact"');
  return format;
}

export function checkFrameLength(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_FRAME_LENGTH) {
    throw invalidConfiguration(`frameLength must be an integer from 1 to ${MAX_FRAME_LENGTH}`);
  }
  return value;
}

function suiteOf(name: unknown): Suite {
  if (name === undefined || name === 'committing') return COMMITTING;
  if (name === 'committing-signed') return COMMITTING_SIGNED;
  throw invalidConfiguration('algorithmSuite must be "committing" or "committing-signed"');
}

function policyAllowsLegacy(policy: unknown): boolean {
  if (policy === undefined || policy === 'require-encrypt-require-decrypt') return false;
  if (policy === 'require-encrypt-allow-decrypt') return true;
  throw invalidConfiguration('commitmentPolicy must be "require-encrypt-require-decrypt" or "require-encrypt-allow-decrypt"');
}

export function resolveSettings(options: EsdkOptions): EsdkSettings {
  return {
    format: checkFormat(options.format, 'esdk'),
    suite: suiteOf(options.algorithmSuite),
    allowLegacy: policyAllowsLegacy(options.commitmentPolicy),
    frameLength: checkFrameLength(options.frameLength, DEFAULT_FRAME_LENGTH),
  };
}
