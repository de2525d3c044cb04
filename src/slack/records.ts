import { lightFormat } from "date-fns/lightFormat";
import type { ReportFinding } from "../core/escalation/report.js";
import { detectForm } from "../core/rules/detect.js";
import type { ContactRecord, Finding } from "../core/rules/schema.js";

/**
 * The Slack side of pasted contact records: turning message text back into what was typed, telling
 * a pasted table from a chat reply, and keeping from the result only what the conversation needs.
 */

/**
 * Slack rewrites message text: emails become `<mailto:a@b.org|a@b.org>`, links `<url|label>`, and
 * &, <, > are escaped. This undoes that so the rules see what the person pasted.
 */
export function plainMessageText(text: string): string {
  return text
    .replace(/<mailto:[^|>]+\|([^>]+)>/g, "$1")
    .replace(/<(?:https?|tel):[^|>]+\|([^>]+)>/g, "$1")
    .replace(/<((?:https?|mailto|tel):[^>]+)>/g, (_, url: string) => url.replace(/^mailto:/, ""))
    .replace(/<[@#!][^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/**
 * A thread reply that is a paste of records rather than a remark: JSON, key: value lines with a
 * known key, or at least a header row the rules recognise plus one data row.
 */
export function looksLikeRecords(text: string): boolean {
  const detection = detectForm(text, true);
  if (!detection || detection.form === null) return false;
  if (detection.form === "tsv" || detection.form === "csv") {
    return text.split(/\r?\n/).filter((l) => l.trim() !== "").length >= 2;
  }
  return true;
}

/** The check date for the rules: the server's calendar day. */
export function checkDate(now: Date): string {
  return lightFormat(now, "yyyy-MM-dd");
}

/** Distinct portal emails and patients in the records, as typed: the escalation form's prefill. */
export function pastedContacts(records: readonly ContactRecord[]): { emails: string[]; patients: string[] } {
  const emails = new Map<string, string>();
  const patients = new Map<string, string>();
  for (const r of records) {
    const email = r.typed.email?.trim();
    if (email && r.email) emails.set(r.email, email);
    const patient = r.typed.patient?.trim();
    if (patient) patients.set(patient.toLowerCase(), patient);
  }
  return { emails: [...emails.values()].slice(0, 20), patients: [...patients.values()].slice(0, 20) };
}

/** Findings as they travel with an escalation: one line each, naming setting and patient. */
export function reportFindings(findings: readonly Finding[]): ReportFinding[] {
  return findings.slice(0, 40).map((f) => ({
    rule: f.rule,
    severity: f.severity,
    summary: f.message.length > 500 ? `${f.message.slice(0, 499)}…` : f.message,
  }));
}
