import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { ChatSession } from "../../src/cli/chat/session.js";
import { type Content, loadContent } from "../../src/content/load.js";
import { checkIdsOf, opVersionsOf, supportPhoneOf } from "../../src/core/knowledge/schema.js";
import { fixStepsOf } from "../../src/core/rules/navigation.js";
import { validateText } from "../../src/core/rules/validate.js";
import { openStore } from "../../src/store/open.js";
import { blockKitProblems } from "../support/block-kit-limits.js";
import { checkFiles, copyOfContent, editFile } from "../support/content-copy.js";
import { ARTICLE_CHECKS } from "../support/contract.js";
import { startTestApp } from "../support/slack-app.js";
import { blocksText, buttons, conversationView } from "../support/slack-thread.js";

/**
 * docs/architecture.md says adding an OP version, adding a check and changing the support number
 * are content changes. This is the proof: a copy of knowledge/ and flows/ gets a third OP version
 * ("14.25") in every check, a ninth check ("portal-invite") and another number for Support, and is
 * walked in the terminal chat and in Slack with no code changed.
 */
const NEW_VERSION = "14.25";
const NEW_CHECK = "portal-invite";
const NEW_PHONE = "800-555-0100";

const NEW_CHECK_FILE = `---
id: ${NEW_CHECK}
kind: check
title: The parent never accepted the portal invitation
source:
  article: "A test article"
  section: "Portal invitations"
  versions: ["14.19", "14.10", "${NEW_VERSION}"]
keywords:
  - portal invitation
---

## Why it matters

A parent who never accepted the invitation has no portal account to see the child in.

## OP 14.19

1. Open the patient's chart and click Family Contacts.
2. Send the parent a new invitation.

## OP 14.10

1. Open the patient in the Patient Register and click the Contacts tab.
2. Send the parent a new invitation.

## OP ${NEW_VERSION}

1. Open the Family Portal screen of version ${NEW_VERSION}.
2. Send the parent a new invitation.
`;

const root = copyOfContent((dir) => {
  for (const file of checkFiles(dir)) {
    editFile(
      dir,
      file,
      (text) =>
        `${text.replace('versions: ["14.19", "14.10"]', `versions: ["14.19", "14.10", "${NEW_VERSION}"]`)}
## OP ${NEW_VERSION}

1. In OP ${NEW_VERSION}, open the screen for ${file}.
`,
    );
  }
  editFile(dir, "knowledge/escalation.md", (text) => text.replaceAll("800-218-9916", NEW_PHONE));
  writeFileSync(join(dir, "knowledge", `${NEW_CHECK}.md`), NEW_CHECK_FILE);
  editFile(dir, "flows/portal-check.yaml", (text) =>
    text.replace(
      /(\n {4}change: changed something about an interface\n)/,
      `$1  - id: ${NEW_CHECK}\n    question: Had the parent accepted the invitation, and did you send a new one?\n    change: sent the parent a new portal invitation\n`,
    ),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let loaded: Content | undefined;
const content = () => {
  loaded ??= loadContent(root);
  return loaded;
};

describe("content with a third OP version, a ninth check and another support number", () => {
  it("loads, and the lists come from it", () => {
    expect(opVersionsOf(content().knowledge)).toEqual(["14.19", "14.10", NEW_VERSION]);
    expect(checkIdsOf(content().knowledge)).toEqual([...ARTICLE_CHECKS, NEW_CHECK]);
    expect(supportPhoneOf(content().knowledge)).toBe(NEW_PHONE);
    expect(content().flow.escalation.phone).toBe(NEW_PHONE);
  });

  it("gives a validator finding its check's steps in the new version", () => {
    const rows =
      "Contact\tEmail\tRelationship\tPatient\tPortal\nJane Smith\tjane@example.com\tMother\tTom Smith\tNone\n";
    const { findings } = validateText(rows, {
      today: "2026-06-01",
      opVersion: NEW_VERSION,
      steps: fixStepsOf(content(), NEW_VERSION),
    });
    expect(findings.map((f) => f.rule)).toEqual(["portal-none"]);
    expect(findings[0]?.fix).toContain(
      `In OP ${NEW_VERSION}, open the screen for knowledge/portal-access.md.`,
    );
  });

  it("walks in the terminal chat: the new version is offered and typed, the ninth check is shown", async () => {
    const dir = copyOfContent(() => {});
    const out: string[] = [];
    const stdout = new PassThrough();
    stdout.on("data", (chunk: Buffer) => out.push(chunk.toString()));
    const io = { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: {}, cwd: dir };
    const store = await openStore({ DATABASE_URL: join(dir, "chat.db") }, dir);
    try {
      const session = new ChatSession(content(), store, io, "terminal:proof");
      await session.open({ fresh: true });
      expect(out.join("")).toContain(`3) OP ${NEW_VERSION}`);
      await session.input("help");
      expect(out.join("")).toContain(`The version can also be typed: 14.19, 14.10, ${NEW_VERSION} or 20.`);
      await session.input(`OP ${NEW_VERSION}`);
      for (let i = 0; i < 9; i++) await session.input("not fixed");
      for (const answer of ["Dana Example", "dana@example.com", "", "Sam Example", "", "", "yes"])
        await session.input(answer);
      const text = out.join("");
      expect(text.match(new RegExp(`Check \\d of 9 · OP ${NEW_VERSION}`, "g"))).toHaveLength(9);
      expect(text).toContain("The parent never accepted the portal invitation");
      expect(text).toContain(`Open the Family Portal screen of version ${NEW_VERSION}.`);
      expect(text).toContain(`In OP ${NEW_VERSION}, open the screen for knowledge/shared-email.md.`);
      const report = text.slice(text.indexOf("ESCALATION:"));
      expect(report).toContain(NEW_PHONE);
      expect(report).not.toContain("800-218-9916");
      expect(report.match(/still not visible after this check/g)).toHaveLength(9);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("walks in Slack: a version button per version, nine checks, the form prefilled for the new version", async () => {
    const t = await startTestApp({ content: content() });
    try {
      await t.command("");
      let view = conversationView(t.api);
      expect(buttons(view.check)).toEqual(
        expect.arrayContaining([
          "choose_version_14.19",
          "choose_version_14.10",
          `choose_version_${NEW_VERSION}`,
        ]),
      );
      await t.click(view.check, `choose_version_${NEW_VERSION}`);
      for (const [i, check] of [...ARTICLE_CHECKS, NEW_CHECK].entries()) {
        view = conversationView(t.api);
        expect(view.text(view.check)).toContain(`Check ${i + 1} of 9 · OP ${NEW_VERSION}`);
        expect(view.check.blocks.find((b) => b.type === "actions")?.block_id).toBe(`check:${check}`);
        if (check === NEW_CHECK)
          expect(blocksText(view.check.blocks)).toContain(
            `Open the Family Portal screen of version ${NEW_VERSION}.`,
          );
        await t.click(view.check, "check_not_fixed");
      }
      const modal = t.lastModal();
      expect(modal.callback_id).toBe("escalation_form");
      expect(JSON.stringify(modal)).toContain(`Checks run in OP ${NEW_VERSION}`);
      expect(JSON.stringify(modal)).toContain("The parent never accepted the portal invitation");
      expect(blockKitProblems(modal, "modal")).toEqual([]);
      expect(t.api.limitProblems).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
