import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import nock from "nock";
import { afterEach, describe, expect } from "vitest";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { USER } from "../support/slack-payloads.js";
import { blocksText, conversationView, must } from "../support/slack-thread.js";

/**
 * Exports attached in Slack (issue 13): a file shared in a conversation's thread, or in the paste
 * modal's file input, is downloaded over url_private with the bot token (nock stands in for
 * Slack's file host) and checked exactly like a paste.
 */
const TODAY = new Date("2026-11-26T15:00:00Z");
const FILES = "https://files.slack.com";
const TOKEN = "Bearer xoxb-0000-1111-testtoken";
const CSV = [
  "Contact,Relationship,Email,Portal,Authority,Start Date,End Date,Patient,DOB,Status",
  "Maria Lopez,Mother,family.lopez@example.org,Minor,Joint,,,Sofia Lopez,3/14/2015,Active",
  "Carlos Lopez,Father,family.lopez@example.org,Minor,Joint,,,Sofia Lopez,3/14/2015,Active",
].join("\r\n");
const exportFixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/exports/${name}`, import.meta.url)));

let t: TestApp;
afterEach(async () => {
  nock.cleanAll();
  await t.close();
});

function sharedFile(id: string, name: string, filetype: string, size: number) {
  return {
    id,
    name,
    filetype,
    size,
    url_private: `${FILES}/files-pri/T0TEAM-${id}/${encodeURIComponent(name)}`,
    url_private_download: `${FILES}/files-pri/T0TEAM-${id}/download/${encodeURIComponent(name)}`,
  };
}

/** Slack's file host, answering only requests that carry the bot token. */
function serveFile(id: string, name: string, bytes: Buffer | string) {
  return nock(FILES, { reqheaders: { authorization: TOKEN } })
    .get(`/files-pri/T0TEAM-${id}/download/${encodeURIComponent(name)}`)
    .reply(200, bytes);
}

/** A reply in the conversation's thread, as Slack sends it; `extra` overrides any field. */
async function reply(extra: Record<string, unknown>) {
  const root = conversationView(t.api).root;
  await t.event({
    type: "message",
    channel_type: "group",
    user: USER,
    text: "",
    ts: "1790000200.000100",
    thread_ts: root.ts,
    ...extra,
  });
}

async function shareInThread(file: ReturnType<typeof sharedFile>, extra: Record<string, unknown> = {}) {
  await reply({ subtype: "file_share", files: [file], ...extra });
}

function everythingShown() {
  return [...t.api.messages.values()].map((m) => `${m.text}\n${blocksText(m.blocks)}`).join("\n");
}

describe("a file attached in a conversation's thread", () => {
  it("is downloaded with the bot token and answered like a paste; never repeated, never logged", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    const download = serveFile("F0CSV", "lopez family.csv", CSV);
    await shareInThread(sharedFile("F0CSV", "lopez family.csv", "csv", CSV.length));
    expect(download.isDone()).toBe(true);
    const findings = must(conversationView(t.api).replies.find((m) => m.text.includes("blocker")));
    const text = blocksText(findings.blocks);
    expect(text).toContain(`<@${USER}> I read 2 rows: *1 blocker*`);
    expect(text).toContain("share the email family.lopez@example.org");
    // Not re-posted: no row of the file is shown whole, nor the file's name; no upload call.
    for (const row of CSV.split("\r\n")) expect(everythingShown()).not.toContain(row);
    expect(everythingShown()).not.toContain("lopez family");
    expect(t.api.calls.map((c) => c.method)).not.toContain("files.upload");
    // Logged by id, type and size only.
    const logged = t.logs.join("\n");
    expect(logged).toContain('"file":"F0CSV"');
    expect(logged).not.toMatch(/lopez family|family\.lopez|Sofia/);
  });

  it("an Excel workbook gives the findings of the same data as CSV", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    const csv = exportFixture("05-parent-prefix.csv");
    const xlsx = exportFixture("21-workbook.xlsx");
    serveFile("F0A", "export.csv", csv);
    await shareInThread(sharedFile("F0A", "export.csv", "csv", csv.length));
    // The workbook's first sheet is a note: only the CSV's rows are checked when that sheet has them.
    serveFile("F0B", "export.xlsx", xlsx);
    await shareInThread(sharedFile("F0B", "export.xlsx", "xlsx", xlsx.length), { ts: "1790000200.000200" });
    const replies = conversationView(t.api).replies.map((m) => blocksText(m.blocks));
    expect(replies.some((r) => r.includes("End Date 1/15/2025"))).toBe(true);
    // The workbook's first sheet has no header row: said plainly, nothing else.
    expect(replies.at(-1)).toMatch(
      /couldn't read any contact records from that\. The first line is not a header row/,
    );
  });

  it("a Windows-1252 or UTF-16 export is read as typed", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    const utf16 = exportFixture("10-utf16-bom.txt");
    serveFile("F0U", "contacts.txt", utf16);
    await shareInThread(sharedFile("F0U", "contacts.txt", "text", utf16.length));
    const reply = blocksText(must(conversationView(t.api).replies.at(-1)).blocks);
    expect(reply).toContain('Jane Smith has Portal "None" for Tom Smith');
  });

  it("states the size limit and does not download a larger file", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    await shareInThread(sharedFile("F0BIG", "all.csv", "csv", 6 * 1024 * 1024));
    const reply = blocksText(must(conversationView(t.api).replies.at(-1)).blocks);
    expect(reply).toContain(
      "larger than 5 MB, the most I check in Slack. Run `portal-check validate` on it instead.",
    );
  });

  it("stops reading a download that turns out larger than the limit", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    serveFile("F0LIE", "small.csv", Buffer.alloc(5 * 1024 * 1024 + 10, 0x41));
    await shareInThread(sharedFile("F0LIE", "small.csv", "csv", 100));
    const reply = blocksText(must(conversationView(t.api).replies.at(-1)).blocks);
    expect(reply).toContain("larger than 5 MB");
  });

  it("says what a .numbers, .xls or PDF file is and what to attach instead", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    await shareInThread(sharedFile("F0N", "contacts.numbers", "numbers", 1000));
    await shareInThread(sharedFile("F0X", "contacts.xls", "xls", 1000), { ts: "1790000200.000300" });
    await shareInThread(sharedFile("F0P", "contacts.pdf", "pdf", 1000), { ts: "1790000200.000400" });
    const replies = conversationView(t.api)
      .replies.map((m) => blocksText(m.blocks))
      .join("\n");
    expect(replies).toContain(
      "Apple Numbers file, which I cannot read. In Numbers, use File &gt; Export To &gt; CSV",
    );
    expect(replies).toContain("old-style Excel workbook (.xls)");
    expect(replies).toContain("That is a PDF: a printed report");
  });

  it("never sends the token to a host that is not Slack's", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    const elsewhere = nock("https://files.example.net").get(/.*/).reply(200, CSV);
    const file = {
      ...sharedFile("F0E", "x.csv", "csv", 100),
      url_private_download: "https://files.example.net/x.csv",
    };
    await shareInThread(file);
    expect(elsewhere.isDone()).toBe(false);
    const reply = blocksText(must(conversationView(t.api).replies.at(-1)).blocks);
    expect(reply).toContain("Slack did not give me a link to that file");
  });

  it("a file outside a conversation's thread is left alone", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    const before = t.api.calls.length;
    await shareInThread(sharedFile("F0Z", "x.csv", "csv", 10), { thread_ts: "1790000100.000001" });
    expect(t.api.calls.length).toBe(before);
  });
});

describe("the paste modal's file input", () => {
  it("checks the attached file like a paste, after closing the modal", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    await t.click(conversationView(t.api).check, "paste_records");
    const modal = t.lastModal();
    const input = (modal.blocks as { block_id: string; element: Record<string, unknown> }[]).find(
      (b) => b.block_id === "records_file",
    );
    expect(input?.element).toMatchObject({
      type: "file_input",
      max_files: 1,
      filetypes: ["csv", "tsv", "text", "txt", "xlsx"],
    });
    const download = serveFile("F0M", "contacts.csv", CSV);
    const res = await t.submit(modal, {
      records_file: { files: [sharedFile("F0M", "contacts.csv", "csv", CSV.length)] },
    });
    expect(await res.text()).toBe("");
    expect(download.isDone()).toBe(true);
    const findings = must(conversationView(t.api).replies.find((m) => m.text.includes("blocker")));
    expect(blocksText(findings.blocks)).toContain("share the email family.lopez@example.org");
  });

  it("asks for rows or a file when neither was given", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    await t.click(conversationView(t.api).check, "paste_records");
    const res = await t.submit(t.lastModal(), {});
    const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(body).toEqual({
      response_action: "errors",
      errors: { records: "Paste the rows (with their header row), or attach the export below." },
    });
  });
});

describe("a paste sent with 'Also send to channel'", () => {
  it("is a thread reply (thread_broadcast) and checked", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    const root = conversationView(t.api).root;
    await reply({ subtype: "thread_broadcast", text: CSV, ts: "1790000200.000500", root: { ts: root.ts } });
    const findings = must(conversationView(t.api).replies.find((m) => m.text.includes("blocker")));
    expect(blocksText(findings.blocks)).toContain("share the email family.lopez@example.org");
  });
});
