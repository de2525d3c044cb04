import type { types } from "@slack/bolt";
import type { OpVersion } from "../../core/ids.js";
import { outcomeOf } from "../../core/rules/coverage.js";
import { FIELD_NAMES } from "../../core/rules/fields.js";
import type {
  Finding,
  InputError,
  NotChecked,
  RuleId,
  TextValidationResult,
} from "../../core/rules/schema.js";
import { encode, VIEW } from "../action-ids.js";
import { ATTACHMENT_LIMIT, ATTACHMENT_TYPES, type SharedFile } from "../files.js";
import {
  type Block,
  capBlocks,
  context,
  escapeText,
  FIELD_ACTION,
  inputIn,
  LIMITS,
  type ModalView,
  modal,
  plain,
  type StateValues,
  sections,
} from "./kit.js";
import type { SlackMessage } from "./prompt.js";

export const PASTE_BLOCK = "records";
export const FILE_BLOCK = "records_file";
const LEGACY_BLOCK = "legacy_portal";

/** The paste modal: one multi-line input for rows copied from Family Contacts (or an export). */
export function pasteModal(conversation: string): ModalView {
  const input: types.PlainTextInput = {
    type: "plain_text_input",
    action_id: FIELD_ACTION,
    multiline: true,
    max_length: LIMITS.inputValue,
    placeholder: plain("Contact\tEmail\tPortal\tAuthority\tEnd Date\t…", LIMITS.placeholder),
  };
  const legacy: types.Checkboxes = {
    type: "checkboxes",
    action_id: FIELD_ACTION,
    options: [{ text: plain("The practice had the portal in 2006–2010", LIMITS.optionText), value: "yes" }],
  };
  return modal({
    callbackId: VIEW.paste,
    metadata: encode({ c: conversation }),
    title: "Check contact records",
    submit: "Check",
    blocks: [
      {
        type: "input",
        block_id: PASTE_BLOCK,
        optional: true,
        label: plain("Family contact rows, with the header row", LIMITS.inputLabel),
        hint: plain(
          "Copy the rows from Family Contacts (or a CSV export), or write Key: value lines, one block per contact. The text itself is never posted; for a whole practice export use `portal-check validate`.",
          LIMITS.hint,
        ),
        element: input,
      },
      {
        type: "input",
        block_id: FILE_BLOCK,
        optional: true,
        label: plain("Or attach the export", LIMITS.inputLabel),
        hint: plain(
          `A CSV, TSV, TXT or Excel (.xlsx) file up to ${ATTACHMENT_LIMIT / 1024 / 1024} MB, checked like pasted rows. The file is read once and not kept.`,
          LIMITS.hint,
        ),
        element: {
          type: "file_input",
          action_id: FIELD_ACTION,
          filetypes: [...ATTACHMENT_TYPES],
          max_files: 1,
        } as unknown as types.PlainTextInput,
      },
      {
        type: "input",
        block_id: LEGACY_BLOCK,
        optional: true,
        label: plain("Portal history", LIMITS.inputLabel),
        hint: plain("Then a blank Authority counts as a problem, not a warning.", LIMITS.hint),
        element: legacy,
      },
    ],
  });
}

/** A submitted paste modal: the pasted text, an attached file, and whether the practice had the legacy portal. */
export function readPasteForm(values: StateValues): {
  text: string;
  files: SharedFile[];
  legacyPortal: boolean;
} {
  const attached = (inputIn(values, FILE_BLOCK) as { files?: SharedFile[] } | undefined)?.files;
  return {
    text: inputIn(values, PASTE_BLOCK)?.value ?? "",
    files: Array.isArray(attached) ? attached : [],
    legacyPortal: (inputIn(values, LEGACY_BLOCK)?.selected_options ?? []).length > 0,
  };
}

/** What a finding is about, without naming anyone: for threads in public channels. */
const RULE_LABEL: Record<RuleId, string> = {
  "shared-email": "Two different people share one email address",
  "duplicate-contact": "One person has more than one contact record with the same email",
  "patient-inactive": "The patient's status is not Active",
  "minor-access-adult": "Portal access is Minor, but the patient is 18 or older",
  "portal-none": "Portal access is None",
  "missing-email": "The contact has portal access but no email address",
  "authority-none": "Authority is None",
  "authority-blank": "Authority is blank",
  "end-date-passed": "The end date has passed",
  "end-date-set": "An end date is set: it prohibits the parent's portal access",
  "start-date-future": "The start date is in the future",
  "start-date-set": "A start date is set (OP 14.10 needs both date fields empty)",
};

export interface FindingsOptions {
  /** The conversation's OP version; undefined before it is chosen (then `fixesByVersion` is given). */
  version: OpVersion | undefined;
  /** Each version's fix of each finding (in `findings` order), when the version is not known yet. */
  fixesByVersion?: ReadonlyArray<{ version: OpVersion; fixes: ReadonlyArray<readonly string[]> }>;
  /** Name contacts and patients (private channel or DM); otherwise lines and labels only. */
  named: boolean;
  /** Who pasted, mentioned at the top. */
  user: string;
}

/**
 * Findings as a thread message, grouped by rule: blockers first, each rule once with the fix for the
 * conversation's OP version, then where it applies. The pasted text is never repeated; input errors
 * give line and column only. In a public channel, findings point at lines instead of naming people.
 */
export function renderFindings(result: TextValidationResult, options: FindingsOptions): SlackMessage {
  const blockers = result.findings.filter((f) => f.severity === "blocker").length;
  const warnings = result.findings.length - blockers;
  const rows = `${result.recordCount} row${result.recordCount === 1 ? "" : "s"}`;
  const outcome = outcomeOf(result);
  const summary =
    outcome === "clear" && result.findings.length === 0
      ? `:white_check_mark: <@${options.user}> I read ${rows}, every check could run, and I found nothing that would keep a parent off the portal. The cause is probably elsewhere: carry on with the checks.`
      : outcome === "incomplete" && blockers === 0
        ? `:warning: <@${options.user}> I read ${rows} and found no blocker in what I could check${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? "" : "s"})` : ""}, but *this is not an all clear*: some checks could not run (below).${result.findings.length > 0 ? ` ${fixesFor(options)}` : ""}`
        : `:clipboard: <@${options.user}> I read ${rows}: *${blockers} blocker${blockers === 1 ? "" : "s"}*, ${warnings} warning${warnings === 1 ? "" : "s"}. ${fixesFor(options)}`;
  // Rules share sections (3000 characters each), so even a long list stays well inside 50 blocks.
  const blocks: Block[] = [
    ...sections([summary]),
    ...sections(byRule(result.findings).flatMap((group) => ruleLines(group, options, result.findings))),
  ];
  if (result.notChecked.length > 0) blocks.push(...sections(notCheckedLines(result.notChecked)));
  if (result.errors.length > 0) blocks.push(...sections(errorLines(result.errors)));
  if (!options.named && result.findings.length > 0) {
    blocks.push(
      context(
        "Names are left out because this channel is public. Line numbers are those of the pasted text.",
      ),
    );
  }
  const text =
    result.findings.length === 0
      ? outcome === "clear"
        ? `No problems found in ${rows}`
        : `No blocker found in ${rows}, but some checks could not run`
      : `${blockers} blocker(s), ${warnings} warning(s) in the pasted records`;
  return {
    text,
    blocks: capBlocks(blocks, "For a list this long, run `portal-check validate` on the export instead."),
  };
}

/** Which version's menus the fixes are in, or why each fix is given for every version. */
function fixesFor(options: FindingsOptions): string {
  return options.version
    ? `Fixes are for OP ${options.version}.`
    : `The OP version is not chosen yet, so each fix is given for ${(options.fixesByVersion ?? []).map((f) => `OP ${f.version}`).join(" and ")}; answer the version question above to get only yours.`;
}

/**
 * Findings of one rule and one fix together, in the rules module's order with blockers first. A
 * rule's fix can speak of the finding (portal-none: Minor for a child, Full for an adult only if
 * needed), so findings with other fixes get their own group rather than the first one's fix.
 */
function byRule(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.rule}\n${f.fix.join("\n")}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()].sort(
    (a, b) => Number(a[0]?.severity !== "blocker") - Number(b[0]?.severity !== "blocker"),
  );
}

function ruleLines(
  group: Finding[],
  { named, fixesByVersion }: FindingsOptions,
  all: readonly Finding[],
): string[] {
  const first = group[0];
  if (!first) return [];
  const icon = first.severity === "blocker" ? ":no_entry:" : ":warning:";
  const where = (f: Finding) => `Line${f.lines.length === 1 ? "" : "s"} ${f.lines.join(", ")}`;
  const steps = (fix: readonly string[]) => fix.map((step, i) => `      ${i + 1}. ${escapeText(step)}`);
  const index = all.indexOf(first);
  const fixes = fixesByVersion
    ? fixesByVersion.flatMap(({ version, fixes: each }) => [
        ...((each[index] ?? first.fix).length > 0
          ? [`To fix it in OP ${version}:`, ...steps(each[index] ?? first.fix)]
          : [`Not a finding in OP ${version}.`]),
      ])
    : ["To fix it:", ...steps(first.fix)];
  return [
    `${icon} *${first.severity === "blocker" ? "Blocker" : "Warning"}: ${RULE_LABEL[first.rule]}*`,
    ...group.map((f) => `• ${named ? escapeText(f.message) : where(f)}`),
    ...fixes,
    "",
  ];
}

/** The checks that could not run, and what they lacked (column names only, never cell text). */
function notCheckedLines(notChecked: readonly NotChecked[]): string[] {
  return [
    "*Not checked* (add these columns to the paste to check them):",
    ...notChecked.map(({ rule, missing, rows, why }) => {
      const lacked = why ?? `no ${missing.map((field) => FIELD_NAMES[field]).join(" and ")}`;
      const where = rows === undefined ? "" : ` on ${rows} row${rows === 1 ? "" : "s"}`;
      return `• Whether ${lowerFirst(RULE_LABEL[rule] ?? rule)}: ${lacked}${where}`;
    }),
  ];
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Line-level problems; the messages never repeat the cell's text. At most ten, then a count. */
export function errorLines(errors: readonly InputError[]): string[] {
  const shown = errors
    .slice(0, 10)
    .map((e) => `• Line ${e.line}${e.column ? ` (${escapeText(e.column)})` : ""}: ${escapeText(e.message)}`);
  const more = errors.length > 10 ? [`…and ${errors.length - 10} more.`] : [];
  return [
    `*${errors.length} part${errors.length === 1 ? "" : "s"} of the text could not be read:*`,
    ...shown,
    ...more,
  ];
}

/** For the modal's inline error: the reason and the first problems, short enough to read there. */
export function inlineProblem(result: TextValidationResult): string {
  const first = result.errors
    .slice(0, 3)
    .map((e) => `line ${e.line}${e.column ? ` (${e.column})` : ""}: ${e.message}`);
  const text = [result.unusable ?? "No contact records could be read.", ...first].join(" ");
  return text.length > 1900 ? `${text.slice(0, 1899)}…` : text;
}
