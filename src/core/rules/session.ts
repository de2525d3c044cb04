import { EMAIL_RULES, ROW_RULES } from "./catalog/index.js";
import { ColumnLog, notChecked } from "./coverage.js";
import { bornBy, type Day, parseIsoDay } from "./dates.js";
import { ACCEPTED_FORMS } from "./detect.js";
import { EmailIndex, type EmailIndexPart } from "./email-index.js";
import { Fixes } from "./navigation.js";
import { normalizeRecord } from "./normalize.js";
import { orderFindings, orderOnePatient } from "./order.js";
import type { RawRecord, RecordSink } from "./raw-record.js";
import { patientLabel, type RuleContext } from "./rule.js";
import {
  type Columns,
  type ContactRecord,
  type Field,
  type Finding,
  type InputError,
  type InputForm,
  type NotChecked,
  ValidateOptions,
  type ValidationResult,
} from "./schema.js";

/** Where a run hands what it finds, instead of keeping it (a large export's report is written as it goes). */
export interface ValidationHandlers {
  /** Each record as it is read; records are never kept. */
  record?: (record: ContactRecord) => void;
  /**
   * The findings of one patient at a time, ordered: after each run of adjacent rows about one
   * patient, and for the cross-row findings at the end. Findings handed over are not kept.
   */
  findings?: (findings: Finding[]) => void;
  /** Each input problem as it is found. Problems handed over are not kept. */
  error?: (error: InputError) => void;
  /**
   * A table's columns, once its header is read (before any record): what they are read as and
   * the rules that cannot run for want of a column. Other forms say so only in the result.
   */
  header?: (columns: Columns, notChecked: NotChecked[]) => void;
}

/** The findings so far of one patient's run of adjacent rows. */
export interface Run {
  key: string;
  label: string;
  findings: Finding[];
}

/**
 * What a session that read a later part of an input (`{ continues: true }`, e.g. on a worker
 * thread) hands back to the session that read the part before, for `join`. The part's first and
 * last runs may belong to patients whose rows started or go on in the neighbouring parts, so
 * their findings were not handed over; the runs in between were, and are counted in `counts`.
 */
export interface SessionPart {
  /** The part's first patient, when other patients followed; its rows may have begun in the part before. */
  first?: Run;
  /** The patient whose rows the part ended on (unless it read no record); they may go on in the next part. */
  open?: Run;
  recordCount: number;
  counts: ValidationResult["counts"];
  /** Records whose Portal said only yes (coverage.ts). */
  portalLevelUnknown: number;
  index: EmailIndexPart;
}

/**
 * One validation run, whatever the input form: reads each record a reader delivers, runs the
 * row rules on it at once, indexes its email, and runs the cross-row rules at the end. Without
 * handlers, findings and errors are kept and returned, ordered; with them, memory grows only
 * with the email index.
 */
export class ValidationSession implements RecordSink {
  private readonly ctx: RuleContext;
  private readonly index = new EmailIndex();
  private readonly kept: Finding[] = [];
  private readonly errors: InputError[] = [];
  private readonly counts = { blockers: 0, warnings: 0, errors: 0 };
  private recordCount = 0;
  /** What the input's columns (or keys) were read as. */
  private readonly columnLog = new ColumnLog();
  /** A table's fields (every record has them), once its header is read; else counted per record. */
  private tableFields: Set<Field> | undefined;
  private readonly fieldCounts = new Map<Field, number>();
  private portalLevelUnknown = 0;
  /** The findings of the patient whose rows are being read. */
  private run: Finding[] = [];
  private runKey = "";
  private runLabel = "";
  private runStarted = false;
  /** A later part of an input: its first run is held back until it is known to be complete. */
  private holdingFirst: boolean;
  private first: Run | undefined;
  private readonly report = (error: InputError) => this.error(error);

  constructor(
    options: ValidateOptions,
    private readonly handlers: ValidationHandlers = {},
    { continues = false }: { continues?: boolean } = {},
  ) {
    this.holdingFirst = continues;
    const { today, opVersion, legacyPortal, steps } = ValidateOptions.parse(options);
    const day = parseIsoDay(today) as Day;
    this.ctx = {
      today: day,
      adultBornBy: bornBy(day, 18),
      opVersion,
      legacyPortal,
      fixes: new Fixes(steps),
    };
  }

  header(columns: readonly { label: string; field: Field | undefined }[]): void {
    this.tableFields = new Set();
    for (const { label, field } of columns) {
      if (field === undefined) this.columnLog.ignore(label);
      else {
        this.columnLog.use(label, field);
        this.tableFields.add(field);
      }
    }
    const fields = this.tableFields;
    this.handlers.header?.(
      this.columnLog.columns(),
      notChecked(
        { records: 1, count: (field) => (fields.has(field) ? 1 : 0), portalLevelUnknown: 0 },
        this.ctx.opVersion,
      ),
    );
  }

  ignore(label: string): void {
    this.columnLog.ignore(label);
  }

  record(raw: RawRecord): void {
    if (!this.tableFields) this.countFields(raw);
    const record = normalizeRecord(raw, this.ctx.today, this.report);
    this.recordCount++;
    if (record.portal === "Enabled") this.portalLevelUnknown++;
    const label = patientLabel(record);
    if (!this.runStarted || record.patientKey !== this.runKey || label !== this.runLabel) {
      this.endRun();
      this.runKey = record.patientKey;
      this.runLabel = label;
      this.runStarted = true;
    }
    for (const rule of ROW_RULES) {
      const finding = rule.find(record, this.ctx);
      if (finding) this.run.push(finding);
    }
    this.index.add(record);
    this.handlers.record?.(record);
  }

  /** A record of a key:value or JSON input: its keys are this record's own. */
  private countFields(raw: RawRecord): void {
    for (const [field, label] of Object.entries(raw.labels) as [Field, string][]) {
      this.fieldCounts.set(field, (this.fieldCounts.get(field) ?? 0) + 1);
      this.columnLog.use(label, field);
    }
  }

  error(error: InputError): void {
    this.counts.errors++;
    if (this.handlers.error) this.handlers.error(error);
    else this.errors.push(error);
  }

  /** Runs the cross-row rules and returns everything found. `problem`: why the input is unusable. */
  finish(form: InputForm | null, problem?: string): ValidationResult {
    this.endRun();
    const crossRow: Finding[] = [];
    for (const candidate of this.index.groups()) {
      // Rows whose emails share a hash nearly always share the email, and checking that costs a
      // comparison per row. The rules only find more as rows are added (another first name, full
      // name or id, a patient twice), so a candidate without findings has none in its emails
      // either: only candidates with findings are split by email and checked again.
      if (EMAIL_RULES.every((rule) => rule.find(candidate, this.ctx).length === 0)) continue;
      for (const group of candidate.byEmail()) {
        for (const rule of EMAIL_RULES) crossRow.push(...rule.find(group, this.ctx));
      }
    }
    const ordered = orderFindings(crossRow);
    for (let start = 0; start < ordered.length; ) {
      let end = start + 1;
      while (end < ordered.length && ordered[end]?.patient === ordered[start]?.patient) end++;
      this.hand(ordered.slice(start, end));
      start = end;
    }
    const errors = this.errors.sort((a, b) => a.line - b.line);
    const unusable =
      problem ?? (form === null || this.recordCount > 0 ? undefined : noRecords(this.counts.errors));
    const tableFields = this.tableFields;
    const records = this.recordCount;
    return {
      form,
      recordCount: records,
      findings: orderFindings(this.kept),
      errors,
      counts: { ...this.counts },
      ...(unusable ? { unusable: `${unusable}\n${ACCEPTED_FORMS}` } : {}),
      columns: this.columnLog.columns(),
      notChecked: notChecked(
        {
          records,
          count: (field) =>
            tableFields ? (tableFields.has(field) ? records : 0) : (this.fieldCounts.get(field) ?? 0),
          portalLevelUnknown: this.portalLevelUnknown,
        },
        this.ctx.opVersion,
      ),
    };
  }

  /** A later part's outcome, for `join` in the session of the part before (see SessionPart). */
  part(): SessionPart {
    const open = this.runStarted ? this.openRun() : undefined;
    return {
      ...(this.first ? { first: this.first } : {}),
      ...(open ? { open } : {}),
      recordCount: this.recordCount,
      counts: { ...this.counts },
      portalLevelUnknown: this.portalLevelUnknown,
      index: this.index.part(),
    };
  }

  /**
   * Continues this session with the part that followed its input, as if this session had read it:
   * the patient on both sides of the boundary gets one run, `handed` are the runs the part handed
   * over (already counted), and the part's email index joins this one for the cross-row rules.
   */
  async join(part: SessionPart, handed: AsyncIterable<Finding[]>): Promise<void> {
    this.recordCount += part.recordCount;
    this.counts.blockers += part.counts.blockers;
    this.counts.warnings += part.counts.warnings;
    this.counts.errors += part.counts.errors;
    this.portalLevelUnknown += part.portalLevelUnknown;
    this.index.append(part.index);
    if (part.first) {
      this.continueRun(part.first);
      this.endRun();
    }
    for await (const findings of handed) this.pass(findings);
    if (part.open) this.continueRun(part.open);
  }

  /** Makes `run` the open run, as one with the open run when both are about the same patient. */
  private continueRun(run: Run): void {
    if (this.runStarted && run.key === this.runKey && run.label === this.runLabel) {
      for (const finding of run.findings) this.run.push(finding);
      return;
    }
    this.endRun();
    this.run = [...run.findings];
    this.runKey = run.key;
    this.runLabel = run.label;
    this.runStarted = true;
  }

  private openRun(): Run {
    return { key: this.runKey, label: this.runLabel, findings: this.run };
  }

  private endRun(): void {
    if (this.holdingFirst && this.runStarted) {
      this.holdingFirst = false;
      this.first = this.openRun();
      this.run = [];
      return;
    }
    if (this.run.length === 0) return;
    this.hand(orderOnePatient(this.run));
    this.run = [];
  }

  private hand(findings: Finding[]): void {
    for (const finding of findings) {
      if (finding.severity === "blocker") this.counts.blockers++;
      else this.counts.warnings++;
    }
    this.pass(findings);
  }

  /** Hands findings on (or keeps them) without counting them. */
  private pass(findings: Finding[]): void {
    if (this.handlers.findings) this.handlers.findings(findings);
    else this.kept.push(...findings);
  }
}

function noRecords(errorCount: number): string {
  return errorCount > 0
    ? "No record could be read; the problems are listed by line."
    : "There are no records after the header.";
}
