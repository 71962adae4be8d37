/** Chunks kept as they come, joined only when a whole unit is there (linear, not quadratic). */
export class Pending {
  parts: Buffer[] = [];
  length = 0;
  add(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.length += bytes.length;
  }
  take(): Buffer {
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.length = 0;
    return all;
  }
}
