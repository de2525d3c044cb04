import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadContent, PROJECT_ROOT } from "../../src/content/load.js";
import { loadContentQuickly, writeContentSnapshot } from "../../src/content/snapshot.js";
import { ContentError } from "../../src/core/content-error.js";
import { retrieve } from "../../src/core/knowledge/question-triage.js";
import { knowledgeIndex } from "../../src/core/knowledge/search.js";
import { evalParts, loadEvalSet } from "../eval/eval-set.js";
import { tempDir } from "../support/cli.js";

/** A copy of the repository's knowledge/ and flows/ to edit, and a snapshot file beside it. */
function copyOfContent() {
  const root = tempDir("portal-check-content-");
  cpSync(join(PROJECT_ROOT, "knowledge"), join(root, "knowledge"), { recursive: true });
  cpSync(join(PROJECT_ROOT, "flows"), join(root, "flows"), { recursive: true });
  return { root, snapshot: join(root, "content-snapshot.json") };
}

describe("content snapshot (what `npm run build` writes for serve's start-up)", () => {
  it("gives the same content as parsing the sources", async () => {
    const { root, snapshot } = copyOfContent();
    await writeContentSnapshot(root, snapshot);
    const quick = await loadContentQuickly(root, snapshot);
    const parsed = loadContent(root);
    expect(quick.flow).toEqual(parsed.flow);
    expect([...quick.knowledge.entries()]).toEqual([...parsed.knowledge.entries()]);
  });

  it("holds the trained classifier: every evaluation question is answered exactly as after training", async () => {
    const { root, snapshot } = copyOfContent();
    await writeContentSnapshot(root, snapshot);
    const quick = (await loadContentQuickly(root, snapshot)).knowledge;
    const parsed = loadContent(root).knowledge;
    const questions = evalParts().flatMap((part) => loadEvalSet(part).map((c) => c.q));
    expect(questions.length).toBeGreaterThan(1000);
    const understood = knowledgeIndex(quick).understand(questions[0] ?? "", 2026);
    expect(knowledgeIndex(quick).classify(understood)).toEqual(knowledgeIndex(parsed).classify(understood));
    const answers = (kb: typeof quick) =>
      questions.map((q) => {
        const { outcome, entries, likely, confidence } = retrieve(kb, q, undefined, { year: 2026 });
        return { outcome, entries: entries.map((e) => e.id), likely: likely.map((e) => e.id), confidence };
      });
    expect(answers(quick)).toEqual(answers(parsed));
  });

  it("a snapshot whose classifier is damaged is not used", async () => {
    const { root, snapshot } = copyOfContent();
    await writeContentSnapshot(root, snapshot);
    const saved = JSON.parse(readFileSync(snapshot, "utf8"));
    saved.flow.title = "Read from the snapshot";
    saved.classifier.weights = saved.classifier.weights.slice(0, 100);
    writeFileSync(snapshot, JSON.stringify(saved));
    expect((await loadContentQuickly(root, snapshot)).flow.title).not.toBe("Read from the snapshot");
  });

  it("is what start-up loads while the sources are unchanged (nothing is parsed again)", async () => {
    const { root, snapshot } = copyOfContent();
    await writeContentSnapshot(root, snapshot);
    // Mark the snapshot's own copy: only a start-up that reads the snapshot can see the mark.
    const saved = JSON.parse(readFileSync(snapshot, "utf8"));
    saved.flow.title = "Read from the snapshot";
    writeFileSync(snapshot, JSON.stringify(saved));
    expect((await loadContentQuickly(root, snapshot)).flow.title).toBe("Read from the snapshot");
  });

  it("is not used once a source changed: the edit shows", async () => {
    const { root, snapshot } = copyOfContent();
    await writeContentSnapshot(root, snapshot);
    const file = join(root, "knowledge", "shared-email.md");
    const text = readFileSync(file, "utf8");
    const title = /^title: (.+)$/m.exec(text)?.[1];
    expect(title).toBeDefined();
    writeFileSync(file, text.replace(`title: ${title}`, "title: Each parent has an e-mail of their own"));
    const content = await loadContentQuickly(root, snapshot);
    expect(content.knowledge.get("shared-email")?.title).toBe("Each parent has an e-mail of their own");
  });

  it("does not hide a broken edit: the file and line are reported as without a snapshot", async () => {
    const { root, snapshot } = copyOfContent();
    await writeContentSnapshot(root, snapshot);
    const file = join(root, "knowledge", "patient-age.md");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^kind: check$/m, "kind: checklist"));
    const error = await loadContentQuickly(root, snapshot).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).message).toMatch(/knowledge\/patient-age\.md:\d+/);
  });

  it("parses the sources when the snapshot is missing or damaged", async () => {
    const { root, snapshot } = copyOfContent();
    const parsed = loadContent(root);
    expect((await loadContentQuickly(root, snapshot)).flow).toEqual(parsed.flow);
    writeFileSync(snapshot, '{"key": "abc", "knowledge": [');
    expect((await loadContentQuickly(root, snapshot)).flow).toEqual(parsed.flow);
  });
});
