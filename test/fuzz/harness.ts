// The seeded mutation fuzzer of issue 11. A target gives valid samples of one stored format
// (a message, an item, an object with its metadata...) as a tree whose leaves are strings or
// bytes, and the read path that turns a stored representation back into what the
// application sees. For each sample the harness tries every single-bit flip of every leaf,
// then `count` random mutations (truncate, extend, splice, overwrite, drop or add members,
// duplicate members, replace a subtree by one of another sample — which swaps frames between
// kinds), and classifies each outcome:
//
//   rejected       a PhisealError                                   fine
//   same           accepted, and equal to the sample's expected value fine
//   by-design      (targets with `strictSame`) accepted and same, from an input that
//                  differs from the stored one, in a way the target's `byDesign` names as
//                  a documented, by-design malleability (the DynamoDB item format's
//                  unauthenticated attributes); any other altered input read back as the
//                  original counts as accepted-wrong there                      fine
//   replayed       accepted, equal to ANOTHER sample's expected value fine: a whole stored
//                  value moved (an SQS message copied, an S3 object swapped); formats that
//                  do not bind a value to its location allow it (docs/threat-model.md)
//   accepted-wrong accepted, but anything else                       a security bug
//   untyped        any other error                                  a robustness bug
//   hang           no answer within the watchdog                    a denial-of-service bug
//
// Parser targets (`parserOnly`) accept any value: only untyped errors and hangs count.
import { PhisealError } from '@phiseal/core';

/** A stored representation: JSON-like, with byte strings. */
export type Doc = string | Uint8Array | number | boolean | null | readonly Doc[] | { readonly [key: string]: Doc };

/** One valid stored value and what reading it must give. */
export type Sample = { readonly label: string; readonly input: Doc; readonly expected?: unknown };

/** A format phiseal reads. One file in test/fuzz/targets/ exports one or more (see README). */
export type FuzzTarget = {
  readonly name: string;
  readonly description: string;
  /** Needs the emulator started by the vitest global set-up. */
  readonly needsEmulator?: boolean;
  /** Only untyped errors and hangs count (an unauthenticated parser has no "original"). */
  readonly parserOnly?: boolean;
  /** Random mutations per sample in the short CI run (default 300). */
  readonly ciCount?: number;
  /** Builds the valid samples (once per run). */
  samples(): Promise<readonly Sample[]>;
  /** The read path: what the application would get from `input`. */
  open(input: Doc, sample: Sample): Promise<unknown>;
  /** Equality of an accepted value with `sample.expected` (default {@link deepEqual}). */
  same?(actual: unknown, expected: unknown): boolean;
  /**
   * Every accepted input other than the stored one must be explained: an altered input read
   * back as the original counts as accepted-wrong unless `byDesign` names why it is allowed.
   */
  readonly strictSame?: boolean;
  /** The documented by-design malleability an altered, accepted input shows, or undefined. */
  byDesign?(input: Doc, sample: Sample): string | undefined;
  /** Releases what `samples` made (clients, envelopes). */
  close?(): Promise<void> | void;
};

export type Failure = { readonly kind: 'accepted-wrong' | 'untyped' | 'hang'; readonly sample: string; readonly mutation: string; readonly detail: string };

export type FuzzStats = {
  target: string;
  inputs: number;
  rejected: number;
  same: number;
  /** Altered inputs accepted as the original, each named by the target's `byDesign`. */
  byDesign: number;
  replayed: number;
  acceptedWrong: number;
  untyped: number;
  hangs: number;
  /** The first few failures, for reproducing. */
  failures: Failure[];
  ms: number;
};

export type RunOptions = {
  seed: number;
  /** Random mutations per sample. */
  count: number;
  /** Try every single-bit flip first (default true). */
  flips?: boolean;
  /** Watchdog per input (default 2000 ms). */
  watchdogMs?: number;
  /** Stop early after this long (default none), shared equally by the samples; the stats say how many inputs ran. */
  timeBudgetMs?: number;
};

// ---------- seeded randomness ----------

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A target's own seed, so adding a target does not change the others' inputs. */
export function targetSeed(seed: number, name: string): number {
  let h = seed >>> 0 || 1;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

// ---------- tree helpers ----------

type Path = readonly (string | number)[];

const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;
const isMap = (v: unknown): v is Record<string, Doc> => typeof v === 'object' && v !== null && !Array.isArray(v) && !isBytes(v);

/** Deep copy (bytes copied too). */
export function clone(doc: Doc): Doc {
  if (isBytes(doc)) return Uint8Array.from(doc);
  if (Array.isArray(doc)) return doc.map((d: Doc) => clone(d));
  if (isMap(doc)) return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, clone(v)]));
  return doc;
}

function nodes(doc: Doc, path: Path = [], out: { path: Path; node: Doc }[] = []): { path: Path; node: Doc }[] {
  out.push({ path, node: doc });
  if (Array.isArray(doc)) doc.forEach((d: Doc, i: number) => nodes(d, [...path, i], out));
  else if (isMap(doc)) for (const [k, v] of Object.entries(doc)) nodes(v, [...path, k], out);
  return out;
}

const leaves = (doc: Doc) => nodes(doc).filter((n) => typeof n.node === 'string' || isBytes(n.node));

function get(doc: Doc, path: Path): Doc {
  let at: Doc = doc;
  for (const key of path) at = (at as Record<string | number, Doc>)[key]!;
  return at;
}

function set(doc: Doc, path: Path, value: Doc | undefined): Doc {
  if (path.length === 0) return value ?? null;
  const parent = get(doc, path.slice(0, -1)) as Record<string | number, Doc> | Doc[];
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(key as number, 1);
    else parent[key as number] = value;
  } else if (value === undefined) delete (parent as Record<string, Doc>)[key];
  else (parent as Record<string, Doc>)[key] = value;
  return doc;
}

/** Structural equality; bytes compare by content. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (isBytes(a) || isBytes(b)) return isBytes(a) && isBytes(b) && Buffer.from(a).equals(Buffer.from(b));
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return deepEqual(ka, kb) && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return Object.is(a, b);
}

// ---------- mutations ----------

export type Mutation = { readonly input: Doc; readonly description: string };

function flipLeaf(leaf: string | Uint8Array, bit: number): string | Uint8Array {
  if (isBytes(leaf)) {
    const out = Uint8Array.from(leaf);
    out[bit >> 3]! ^= 1 << (bit & 7);
    return out;
  }
  // Strings flip in their UTF-16 code units (what the service stores, for ASCII formats the bytes).
  const i = bit >> 3;
  return leaf.slice(0, i) + String.fromCharCode(leaf.charCodeAt(i) ^ (1 << (bit & 7))) + leaf.slice(i + 1);
}

const leafBits = (leaf: string | Uint8Array): number => leaf.length * 8;

/** Every single-bit flip of every leaf of `doc`. */
export function* bitFlips(doc: Doc): Generator<Mutation> {
  for (const { path, node } of leaves(doc)) {
    const leaf = node as string | Uint8Array;
    for (let bit = 0; bit < leafBits(leaf); bit++) {
      yield { input: set(clone(doc), path, flipLeaf(leaf, bit)), description: `flip bit ${bit} of ${path.join('.') || '(root)'}` };
    }
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_.:{}[]",\\ \u00e9\u0000';

function randomLeafLike(leaf: string | Uint8Array, size: number, random: () => number): string | Uint8Array {
  if (isBytes(leaf)) return Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
  return Array.from({ length: size }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join('');
}

function concat(a: string | Uint8Array, b: string | Uint8Array): string | Uint8Array {
  if (isBytes(a)) return Uint8Array.from([...a, ...(isBytes(b) ? b : Buffer.from(b))]);
  return a + (isBytes(b) ? Buffer.from(b).toString('latin1') : b);
}

const slice = (leaf: string | Uint8Array, start: number, end?: number) => leaf.slice(start, end);

/** One random mutation of `doc`; `others` are the target's samples (for splices and swaps). */
export function randomMutation(doc: Doc, others: readonly Doc[], random: () => number): Mutation {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const out = clone(doc);
  const ls = leaves(out);
  const donor = pick(others);
  const donorNodes = nodes(donor);
  const donorLeaves = leaves(donor);
  const maps = nodes(out).filter((n) => isMap(n.node));
  const arrays = nodes(out).filter((n) => Array.isArray(n.node) && (n.node as Doc[]).length > 0);
  const ops = ['truncate', 'extend', 'splice', 'overwrite', 'flips', 'drop-member', 'add-member', 'duplicate-member', 'replace-subtree', 'swap-leaves', 'array'] as const;
  for (let attempt = 0; attempt < 8; attempt++) {
    const op = pick(ops);
    if (['truncate', 'extend', 'splice', 'overwrite', 'flips'].includes(op) && ls.length > 0) {
      const { path, node } = pick(ls);
      const leaf = node as string | Uint8Array;
      const where = path.join('.') || '(root)';
      const at = Math.floor(random() * (leaf.length + 1));
      if (op === 'truncate') return { input: set(out, path, slice(leaf, 0, at)), description: `truncate ${where} to ${at}` };
      if (op === 'extend') {
        const extra = randomLeafLike(leaf, 1 + Math.floor(random() * 64), random);
        return { input: set(out, path, concat(slice(leaf, 0, at), concat(extra, slice(leaf, at)))), description: `insert ${extra.length} at ${at} of ${where}` };
      }
      if (op === 'splice' && donorLeaves.length > 0) {
        const from = pick(donorLeaves).node as string | Uint8Array;
        const start = Math.floor(random() * (from.length + 1));
        const piece = slice(from, start, start + Math.floor(random() * 48));
        const end = Math.min(leaf.length, at + Math.floor(random() * 48));
        return { input: set(out, path, concat(concat(slice(leaf, 0, at), piece), slice(leaf, end))), description: `splice ${piece.length} into ${where}[${at}..${end}]` };
      }
      if (op === 'overwrite' && leaf.length > 0) {
        const n = 1 + Math.floor(random() * Math.min(16, leaf.length));
        const start = Math.floor(random() * (leaf.length - n + 1));
        const bytes = randomLeafLike(leaf, n, random);
        return { input: set(out, path, concat(concat(slice(leaf, 0, start), bytes), slice(leaf, start + n))), description: `overwrite ${n} at ${start} of ${where}` };
      }
      if (op === 'flips' && leaf.length > 0) {
        let value = leaf;
        const n = 2 + Math.floor(random() * 6);
        for (let i = 0; i < n; i++) value = flipLeaf(value, Math.floor(random() * leafBits(value)));
        return { input: set(out, path, value), description: `${n} random bit flips in ${where}` };
      }
    }
    if (op === 'drop-member' && maps.length > 0) {
      const { path, node } = pick(maps);
      const keys = Object.keys(node as object);
      if (keys.length === 0) continue;
      const key = pick(keys);
      return { input: set(out, [...path, key], undefined), description: `drop ${[...path, key].join('.')}` };
    }
    if ((op === 'add-member' || op === 'duplicate-member') && maps.length > 0) {
      const { path, node } = pick(maps);
      const map = node as Record<string, Doc>;
      const names = donorNodes.filter((n) => n.path.length > 0).map((n) => String(n.path[n.path.length - 1]));
      const name = op === 'duplicate-member' || names.length === 0 ? `${pick(Object.keys(map).concat(['x']))}${random() < 0.5 ? '' : '_2'}` : pick(names);
      // duplicate-member: a second member next to the existing ones (DynamoDB {"S":..,"B":..}).
      const value = op === 'duplicate-member' && Object.keys(map).length > 0 ? clone(map[pick(Object.keys(map))]!) : clone(pick(donorNodes).node);
      const target = op === 'duplicate-member' ? pick(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', name]) : name;
      if (Object.hasOwn(map, target) && deepEqual(map[target], value)) continue;
      return { input: set(out, [...path, target], value), description: `${op} ${[...path, target].join('.')}` };
    }
    if (op === 'replace-subtree') {
      const all = nodes(out).filter((n) => n.path.length > 0);
      if (all.length === 0) continue;
      const { path } = pick(all);
      const from = pick(donorNodes);
      if (deepEqual(get(out, path), from.node)) continue;
      return { input: set(out, path, clone(from.node)), description: `replace ${path.join('.')} with another sample's ${from.path.join('.') || '(root)'}` };
    }
    if (op === 'swap-leaves' && ls.length > 1) {
      const a = pick(ls);
      const b = pick(ls);
      if (a === b || deepEqual(a.node, b.node)) continue;
      set(out, a.path, clone(b.node));
      set(out, b.path, clone(a.node));
      return { input: out, description: `swap ${a.path.join('.')} and ${b.path.join('.')}` };
    }
    if (op === 'array' && arrays.length > 0) {
      const { path, node } = pick(arrays);
      const list = node as Doc[];
      const i = Math.floor(random() * list.length);
      if (random() < 0.5) return { input: set(out, [...path, i], undefined), description: `drop ${[...path, i].join('.')}` };
      list.splice(i, 0, clone(list[i]!));
      return { input: out, description: `duplicate ${[...path, i].join('.')}` };
    }
  }
  // Fallback: truncate the first leaf, or flip a bit of it.
  if (ls.length === 0) return { input: out, description: 'unchanged' };
  const first = ls[0]!;
  const leaf = first.node as string | Uint8Array;
  return { input: set(out, first.path, leaf.length > 0 ? slice(leaf, 1) : randomLeafLike(leaf, 1, random)), description: `drop the first unit of ${first.path.join('.')}` };
}

// ---------- running ----------

const HANG = Symbol('hang');

async function withWatchdog(run: () => Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<typeof HANG>((resolve) => {
    timer = setTimeout(() => resolve(HANG), ms);
  });
  try {
    return await Promise.race([run(), watchdog]);
  } finally {
    clearTimeout(timer);
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.slice(0, 120)}`;
  return String(error).slice(0, 120);
}

/** Runs one target; every outcome is counted, the first failures kept. */
export async function runTarget(target: FuzzTarget, options: RunOptions): Promise<FuzzStats> {
  const started = Date.now();
  const watchdogMs = options.watchdogMs ?? 2000;
  const random = rng(targetSeed(options.seed, target.name));
  const stats: FuzzStats = { target: target.name, inputs: 0, rejected: 0, same: 0, byDesign: 0, replayed: 0, acceptedWrong: 0, untyped: 0, hangs: 0, failures: [], ms: 0 };
  const samples = await target.samples();
  const docs = samples.map((s) => s.input);
  const same = (actual: unknown, expected: unknown): boolean => (target.same ? target.same(actual, expected) : deepEqual(actual, expected));
  const fail = (failure: Failure) => {
    if (stats.failures.length < 10) stats.failures.push(failure);
  };
  let sampleStarted = started;
  const perSample = options.timeBudgetMs === undefined ? undefined : options.timeBudgetMs / Math.max(1, samples.length);
  const overBudget = () => perSample !== undefined && Date.now() - sampleStarted > perSample;

  const tryOne = async (sample: Sample, mutation: Mutation): Promise<void> => {
    stats.inputs++;
    const t0 = Date.now();
    let outcome: unknown;
    try {
      outcome = await withWatchdog(() => target.open(mutation.input, sample), watchdogMs);
    } catch (error) {
      if (PhisealError.is(error)) stats.rejected++;
      else {
        stats.untyped++;
        fail({ kind: 'untyped', sample: sample.label, mutation: mutation.description, detail: describeError(error) });
      }
      return;
    }
    // A synchronous stall cannot be pre-empted in-process; it is still counted as a hang.
    if (outcome === HANG || Date.now() - t0 > watchdogMs) {
      stats.hangs++;
      fail({ kind: 'hang', sample: sample.label, mutation: mutation.description, detail: `no answer within ${watchdogMs} ms` });
      return;
    }
    if (!target.parserOnly && target.strictSame && same(outcome, sample.expected) && !deepEqual(mutation.input, sample.input)) {
      if (target.byDesign?.(mutation.input, sample) !== undefined) stats.byDesign++;
      else {
        stats.acceptedWrong++;
        fail({ kind: 'accepted-wrong', sample: sample.label, mutation: mutation.description, detail: 'accepted an altered input as the original, with no by-design reason' });
      }
    } else if (target.parserOnly || same(outcome, sample.expected)) stats.same++;
    else if (samples.some((other) => other !== sample && same(outcome, other.expected))) stats.replayed++;
    else {
      stats.acceptedWrong++;
      fail({ kind: 'accepted-wrong', sample: sample.label, mutation: mutation.description, detail: 'accepted a value other than the original' });
    }
  };

  try {
    for (const sample of samples) {
      sampleStarted = Date.now();
      // The untouched sample must read back (otherwise every count below is meaningless).
      const control = await target.open(clone(sample.input), sample);
      if (!target.parserOnly && !same(control, sample.expected)) throw new Error(`fuzz target ${target.name}: sample ${sample.label} does not read back`);
      if (options.flips !== false) {
        for (const mutation of bitFlips(sample.input)) {
          if (overBudget()) break;
          await tryOne(sample, mutation);
        }
      }
      for (let i = 0; i < options.count && !overBudget(); i++) await tryOne(sample, randomMutation(sample.input, docs, random));
    }
  } finally {
    await target.close?.();
  }
  stats.ms = Date.now() - started;
  return stats;
}

/** The table `pnpm fuzz` prints. */
export function formatTable(rows: readonly FuzzStats[]): string {
  const head = ['target', 'inputs', 'rejected', 'same', 'by-design', 'replayed', 'accepted-wrong', 'untyped', 'hangs', 'seconds'];
  const body = rows.map((r) => [r.target, r.inputs, r.rejected, r.same, r.byDesign, r.replayed, r.acceptedWrong, r.untyped, r.hangs, (r.ms / 1000).toFixed(1)].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
