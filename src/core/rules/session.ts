import { EMAIL_RULES, ROW_RULES } from "./catalog/index.js";
import { type Day, parseIsoDay } from "./dates.js";
import { ACCEPTED_FORMS } from "./detect.js";
import { EmailIndex } from "./email-index.js";
import { NAVIGATION } from "./navigation.js";
import { normalizeRecord } from "./normalize.js";
import { orderFindings } from "./order.js";
import type { RawRecord, RecordSink } from "./raw-record.js";
import type { RuleContext } from "./rule.js";
import {
  type ContactRecord,
  type Finding,
  type InputError,
  type InputForm,
  ValidateOptions,
  type ValidationResult,
} from "./schema.js";

/**
 * One validation run, whatever the input form: reads each record a reader delivers, runs the
 * row rules on it at once, indexes its email, and runs the cross-row rules at the end. Records
 * are handed to `onRecord` and not kept, so memory grows only with the email index and the
 * findings and errors themselves.
 */
export class ValidationSession implements RecordSink {
  private readonly ctx: RuleContext;
  private readonly index = new EmailIndex();
  private readonly findings: Finding[] = [];
  private readonly errors: InputError[] = [];
  private recordCount = 0;
  private readonly report = (error: InputError) => {
    this.errors.push(error);
  };

  constructor(
    options: ValidateOptions,
    private readonly onRecord: (record: ContactRecord) => void = () => {},
  ) {
    const { today, opVersion, legacyPortal } = ValidateOptions.parse(options);
    this.ctx = { today: parseIsoDay(today) as Day, opVersion, legacyPortal, nav: NAVIGATION[opVersion] };
  }

  record(raw: RawRecord): void {
    const record = normalizeRecord(raw, this.ctx.today, this.report);
    this.recordCount++;
    for (const rule of ROW_RULES) {
      const finding = rule.find(record, this.ctx);
      if (finding) this.findings.push(finding);
    }
    this.index.add(record);
    this.onRecord(record);
  }

  error(error: InputError): void {
    this.errors.push(error);
  }

  /** Runs the cross-row rules and returns everything found. `problem`: why the input is unusable. */
  finish(form: InputForm | null, problem?: string): ValidationResult {
    for (const group of this.index.groups()) {
      for (const rule of EMAIL_RULES) this.findings.push(...rule.find(group, this.ctx));
    }
    const errors = this.errors.sort((a, b) => a.line - b.line);
    const unusable = problem ?? (form === null || this.recordCount > 0 ? undefined : noRecords(errors));
    return {
      form,
      recordCount: this.recordCount,
      findings: orderFindings(this.findings),
      errors,
      ...(unusable ? { unusable: `${unusable}\n${ACCEPTED_FORMS}` } : {}),
    };
  }
}

function noRecords(errors: readonly InputError[]): string {
  return errors.length > 0
    ? "No record could be read; the problems are listed by line."
    : "There are no records after the header.";
}
