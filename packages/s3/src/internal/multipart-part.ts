import { bodyChunks } from './body-input.js';
import { MAX_GCM_PLAINTEXT_BYTES, MAX_PARTS } from './constants.js';
import { invalidArgument, tooLargeForGcm } from './errors.js';
import { find, type Next, type OpenUploads } from './multipart-state.js';
import { PART_REFUSED, refuseFields } from './multipart-refusals.js';

async function plaintextOf(body: unknown): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of bodyChunks(body)) chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

/**
 * UploadPart through the middleware: the part is encrypted in part-number order (it waits
 * for its predecessor to be encrypted, not uploaded), then sent with the ciphertext in place
 * of the plaintext. The newest ciphertext is kept: the tag goes after it at Complete.
 */
export async function uploadPart(open: OpenUploads, input: Record<string, unknown>, next: Next): Promise<{ output: unknown }> {
  const [, state] = find(open, 'UploadPart', input);
  refuseFields('UploadPart', input, PART_REFUSED);
  const partNumber = input['PartNumber'];
  if (typeof partNumber !== 'number' || !Number.isSafeInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw invalidArgument(`PartNumber must be an integer from 1 to ${MAX_PARTS}.`);
  }
  // Read the part before taking the turn, so that a slow body does not hold up the others' order.
  const plaintext = await plaintextOf(input['Body']);
  await state.turn.wait(partNumber);
  let data: Buffer;
  try {
    state.plainBytes += plaintext.length;
    if (state.plainBytes > MAX_GCM_PLAINTEXT_BYTES) throw tooLargeForGcm();
    if (plaintext.length === 0) throw invalidArgument('An empty part cannot be encrypted into the object; leave it out.');
    data = state.cipher.update(plaintext);
    state.newest = { partNumber, data };
    state.turn.advance(partNumber);
  } catch (error) {
    state.turn.fail(error);
    throw error;
  }
  const { ContentLength: _plainLength, Body: _plain, ...rest } = input;
  const sending = next({ input: { ...rest, Body: data, ContentLength: data.length } });
  const settled = sending.catch(() => undefined).finally(() => state.sends.delete(settled));
  state.sends.add(settled);
  return sending;
}
