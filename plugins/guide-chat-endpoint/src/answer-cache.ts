import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the cache keeps of one answer: the reply's text as the server wrote it, and its cost. */
export interface CachedAnswer {
  readonly content: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

export interface AnswerCacheSettings {
  readonly dir: string;
  /** Total size of the entries at most; the oldest are removed past it. */
  readonly maxBytes: number;
}

/** Bumped when what an entry holds, or what its key covers, changes. */
const formatVersion = 1;

/** JSON with object keys sorted, so equal requests give equal keys whatever order built them. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The cache key of a request: sha256 over the endpoint and the whole body (model, messages, sampling, seed, lengths). */
export function answerKey(endpointUrl: string, body: unknown): string {
  return createHash('sha256').update(canonical({ v: formatVersion, endpointUrl, body })).digest('hex');
}

function isAnswer(value: unknown): value is CachedAnswer {
  const answer = value as Partial<CachedAnswer> | null;
  return (
    typeof answer === 'object' &&
    answer !== null &&
    typeof answer.content === 'string' &&
    Number.isFinite(answer.promptTokens) &&
    Number.isFinite(answer.completionTokens)
  );
}

interface Entry {
  readonly path: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

/**
 * Answers on disk, one JSON file per request under `<dir>/<key[0..2]>/<key>.json`, written to a
 * temporary file and renamed into place (a reader, another process included, sees a whole entry
 * or none; a run killed mid-write leaves at most a temporary file, removed on the next start).
 * An entry that does not parse is removed and counts as a miss. Past `maxBytes` the oldest
 * entries (by modification time) are removed until the cache is at 90% of the bound.
 */
export class AnswerCache {
  private entries?: Map<string, Entry>;
  private bytes = 0;
  private sequence = 0;

  constructor(private readonly settings: AnswerCacheSettings) {}

  private pathOf(key: string): string {
    return join(this.settings.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    const path = this.pathOf(key);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const value: unknown = JSON.parse(text);
      if (isAnswer(value)) return { content: value.content, promptTokens: value.promptTokens, completionTokens: value.completionTokens };
    } catch {
      // Falls through: a damaged entry is a miss.
    }
    await rm(path, { force: true });
    return undefined;
  }

  async set(key: string, answer: CachedAnswer): Promise<void> {
    const entries = await this.index();
    const path = this.pathOf(key);
    const body = `${JSON.stringify(answer)}\n`;
    const temporary = `${path}.tmp-${process.pid}-${this.sequence++}`;
    await mkdir(join(this.settings.dir, key.slice(0, 2)), { recursive: true });
    await writeFile(temporary, body);
    await rename(temporary, path);
    const previous = entries.get(key);
    if (previous) this.bytes -= previous.bytes;
    const bytes = Buffer.byteLength(body);
    entries.set(key, { path, bytes, mtimeMs: Date.now() });
    this.bytes += bytes;
    if (this.bytes > this.settings.maxBytes) await this.shrink(entries);
  }

  /** Total bytes of the entries this process knows of. */
  async size(): Promise<number> {
    await this.index();
    return this.bytes;
  }

  private async shrink(entries: Map<string, Entry>): Promise<void> {
    const target = Math.floor(this.settings.maxBytes * 0.9);
    const oldest = [...entries.entries()].sort(([, a], [, b]) => a.mtimeMs - b.mtimeMs);
    for (const [key, entry] of oldest) {
      if (this.bytes <= target) break;
      await rm(entry.path, { force: true });
      entries.delete(key);
      this.bytes -= entry.bytes;
    }
  }

  /** Reads the sizes of the entries on disk once, removing temporary files older than a minute (left by killed runs). */
  private async index(): Promise<Map<string, Entry>> {
    if (this.entries) return this.entries;
    const entries = new Map<string, Entry>();
    await mkdir(this.settings.dir, { recursive: true });
    for (const shard of await readdir(this.settings.dir)) {
      const shardDir = join(this.settings.dir, shard);
      let names: string[];
      try {
        names = await readdir(shardDir);
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(shardDir, name);
        if (name.includes('.tmp-')) {
          // Left by a killed run; a recent one may be another process's write in progress.
          const info = await stat(path).catch(() => undefined);
          if (info && Date.now() - info.mtimeMs > 60_000) await rm(path, { force: true });
          continue;
        }
        if (!name.endsWith('.json')) continue;
        const info = await stat(path).catch(() => undefined);
        if (!info) continue;
        entries.set(name.slice(0, -'.json'.length), { path, bytes: info.size, mtimeMs: info.mtimeMs });
        this.bytes += info.size;
      }
    }
    this.entries = entries;
    return entries;
  }
}
