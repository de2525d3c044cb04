import { createHash } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import { ContentError } from "../core/content-error.js";
import { Flow } from "../core/flow/schema.js";
import { ClassifierModel } from "../core/knowledge/intent.js";
import { KnowledgeEntry } from "../core/knowledge/schema.js";
import { KnowledgeIndex, useTrainedClassifier } from "../core/knowledge/search.js";
import type { Content } from "./load.js";
import { type ContentSources, PROJECT_ROOT, readContentSources } from "./sources.js";

/**
 * knowledge/ and flows/ as parsed at build time (`npm run build` writes dist/content-snapshot.json),
 * so `portal-check serve` neither loads the markdown and YAML parsers nor parses everything again on
 * each start (together about a quarter of its start-up). The snapshot is used only while the sources
 * are exactly the ones it was made from: after an edit to knowledge/ or flows/, the content is
 * parsed and checked at start-up as before, with file:line errors. It also holds the intent
 * classifier trained on that content, so the knowledge index does not read every example and train
 * again at start-up (about 1 s of `portal-check ask`); it was made by the same build as the code that
 * reads it, and `npm start` rebuilds when the code changes.
 */
const SNAPSHOT_FILE = fileURLToPath(new URL("../content-snapshot.json", import.meta.url));

const Snapshot = z.object({
  key: z.string(),
  knowledge: z.array(KnowledgeEntry),
  flow: Flow,
  /** The intent classifier trained on this knowledge by this build's code (search.ts). */
  classifier: ClassifierModel,
});

/** The sources' fingerprint: their paths and text. */
function keyOf(sources: ContentSources): string {
  return createHash("sha256").update(JSON.stringify(sources)).digest("hex");
}

/** The content: from the snapshot when the sources are unchanged, else parsed (as loadContent does). */
export async function loadContentQuickly(
  root = PROJECT_ROOT,
  snapshotFile = SNAPSHOT_FILE,
): Promise<Content> {
  const sources = readContentSources(root);
  const snapshot = readSnapshot(snapshotFile);
  if (snapshot && snapshot.key === keyOf(sources)) {
    const knowledge = new Map(snapshot.knowledge.map((entry) => [entry.id, entry]));
    useTrainedClassifier(knowledge, snapshot.classifier);
    return { knowledge, flow: snapshot.flow };
  }
  // The parsers are loaded only here, when they are needed.
  const { parseContent } = await import("./load.js");
  return parseContent(sources);
}

/** Parses the content (throwing ContentError when it is wrong) and writes its snapshot. */
export async function writeContentSnapshot(root = PROJECT_ROOT, snapshotFile = SNAPSHOT_FILE): Promise<void> {
  // An earlier build's snapshot goes first: content this code rejects must not start from it.
  rmSync(snapshotFile, { force: true });
  const { parseContent } = await import("./load.js");
  const sources = readContentSources(root);
  const content = parseContent(sources);
  const snapshot: z.infer<typeof Snapshot> = {
    key: keyOf(sources),
    knowledge: [...content.knowledge.values()],
    flow: content.flow,
    classifier: new KnowledgeIndex(content.knowledge).classifier.toModel(),
  };
  // Renamed into place, so a start-up never reads half a snapshot.
  writeFileSync(`${snapshotFile}.tmp`, JSON.stringify(snapshot));
  renameSync(`${snapshotFile}.tmp`, snapshotFile);
}

/** A missing, unreadable or outdated snapshot is no snapshot. */
function readSnapshot(file: string): z.infer<typeof Snapshot> | undefined {
  try {
    const parsed = Snapshot.safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

// `node dist/content/snapshot.js`, the last step of `npm run build`. Content with problems gets no
// snapshot and does not fail the build: `portal-check serve` reports them, file by file, at start-up.
const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) {
  writeContentSnapshot().catch((err: unknown) => {
    if (!(err instanceof ContentError)) throw err;
    process.stderr.write(
      `No content snapshot (the app will parse the content at start-up): ${err.message}\n`,
    );
  });
}
