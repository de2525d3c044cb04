import { once } from "node:events";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  type WriteStream,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { finished } from "node:stream/promises";

/** Where text goes out, with back-pressure (the command's stdout, say). */
export type Output = (text: string) => Promise<void>;

/** Spool folders are named `portal-check-validate-<pid of the run>-<random>`, in the temp folder. */
const PREFIX = "portal-check-validate-";
const OWNED = /^portal-check-validate-(\d+)-/;
/** A folder whose run is alive is still removed after this long: its pid was reused by another process. */
const ABANDONED_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * A private temporary folder for one validation run (created on first use, mode 0700), holding
 * its spools. The run removes it at the end, whatever happened: the spools hold patient data.
 * A run killed outright (SIGKILL, power cut) cannot; the next run removes what it left (see
 * removeStaleSpools), so patient data does not pile up in the temp folder.
 */
export class SpoolDir {
  private dir: string | undefined;
  private readonly spools: Spool[] = [];

  constructor() {
    removeStaleSpools();
  }

  get path(): string {
    this.dir ??= mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
    return this.dir;
  }

  spool(name: string): Spool {
    const spool = new Spool(() => join(this.path, name));
    this.spools.push(spool);
    return spool;
  }

  remove(): void {
    for (const spool of this.spools) spool.destroy();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * Until the returned function is called, Ctrl+C or SIGTERM first removes the folder (no patient
   * data is left behind in it), then ends the process as the signal would have.
   */
  removeOnSignal(): () => void {
    const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
    const stop = (signal: NodeJS.Signals) => {
      this.remove();
      release();
      process.kill(process.pid, signal);
    };
    const release = () => {
      for (const signal of signals) process.off(signal, stop);
    };
    for (const signal of signals) process.once(signal, stop);
    return release;
  }
}

/**
 * Removes spool folders of earlier runs that did not end normally: only folders named as this
 * program names them, owned by this user, whose run is no longer alive (or that were abandoned long
 * ago). Best effort: a folder that cannot be read or removed is left for the next run.
 */
export function removeStaleSpools(dir = tmpdir(), now = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = Number(OWNED.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    const path = join(dir, name);
    try {
      const info = statSync(path);
      if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid())) continue;
      if (alive(pid) && now - info.mtimeMs < ABANDONED_MS) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Gone meanwhile, or not ours to remove.
    }
  }
  return removed;
}

/** Whether a process with this id exists (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Text kept on disk until it can be output in order, so a report's input problems, a JSON
 * output's findings or a worker thread's part of the output do not fill memory on a
 * whole-practice export. The file is created on first write (mode 0600).
 */
export class Spool {
  private file: WriteStream | undefined;

  /** `path` is asked for on first write: a spool never written to creates nothing. */
  constructor(
    private readonly path: () => string,
    private at?: string,
  ) {}

  /** A spool at a known path: a worker thread writes it there, and the main thread reads it back. */
  static of(path: string): Spool {
    return new Spool(() => path, path);
  }

  write(text: string): void {
    if (!this.file) {
      this.at = this.path();
      this.file = createWriteStream(this.at, { mode: 0o600 });
    }
    this.file.write(text);
  }

  /** Waits while the file is behind, so the spool does not buffer in memory either. */
  async drain(): Promise<void> {
    if (this.file?.writableNeedDrain) await once(this.file, "drain");
  }

  /** Finishes writing; the spool can still be read. */
  async close(): Promise<void> {
    if (!this.file || this.file.writableFinished) return;
    this.file.end();
    await finished(this.file);
  }

  async copyTo(out: Output): Promise<void> {
    for await (const chunk of this.chunks()) await out(chunk);
  }

  /** Adds what another spool holds after what this one holds. */
  async append(other: Spool): Promise<void> {
    for await (const chunk of other.chunks()) {
      this.write(chunk);
      await this.drain();
    }
  }

  /** The spool's lines, one at a time. */
  async *lines(): AsyncGenerator<string> {
    const file = await this.readable();
    if (file === undefined) return;
    const input = createReadStream(file, { encoding: "utf8" });
    try {
      yield* createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    } finally {
      input.destroy();
    }
  }

  destroy(): void {
    this.file?.destroy();
  }

  private async *chunks(): AsyncGenerator<string> {
    const file = await this.readable();
    if (file === undefined) return;
    for await (const chunk of createReadStream(file, { encoding: "utf8" })) yield chunk as string;
  }

  /** The file to read, once everything written is in it; undefined when nothing was. */
  private async readable(): Promise<string | undefined> {
    await this.close();
    return this.at !== undefined && existsSync(this.at) ? this.at : undefined;
  }
}
