import type Database from "better-sqlite3";
import { type NewQuestionRecord, QuestionRecord, type Verdict } from "../core/feedback/schema.js";
import { QUESTION_LIST_LIMIT } from "./types.js";

interface QuestionRow {
  id: string;
  asked_at: number;
  text: string;
  outcome: string;
  top: string | null;
  confidence: number;
  verdict: string | null;
  expires_at: number;
}

/**
 * The `questions` table (migration 4 in sqlite.ts): questions asked in Slack, already redacted, and
 * their verdicts. Rows expire after their own retention; expired rows are deleted on the next write.
 */
export class SqliteQuestions {
  private readonly statements;

  constructor(
    db: Database.Database,
    private readonly retentionMs: number,
  ) {
    this.statements = {
      insert: db.prepare<QuestionRow>(
        `INSERT OR IGNORE INTO questions (id, asked_at, text, outcome, top, confidence, verdict, expires_at)
         VALUES (@id, @asked_at, @text, @outcome, @top, @confidence, @verdict, @expires_at)`,
      ),
      verdict: db.prepare<{ id: string; verdict: string; now: number }>(
        "UPDATE questions SET verdict = @verdict WHERE id = @id AND expires_at > @now",
      ),
      list: db.prepare<[number, number], QuestionRow>(
        "SELECT * FROM questions WHERE expires_at > ? ORDER BY asked_at DESC, id LIMIT ?",
      ),
      expire: db.prepare<[number]>("DELETE FROM questions WHERE expires_at <= ?"),
    };
  }

  record(record: NewQuestionRecord, now: Date) {
    const t = now.getTime();
    this.statements.expire.run(t);
    this.statements.insert.run({
      id: record.id,
      asked_at: t,
      text: record.text,
      outcome: record.outcome,
      top: record.top,
      confidence: record.confidence,
      verdict: record.verdict ?? null,
      expires_at: t + this.retentionMs,
    });
  }

  verdict(id: string, verdict: Verdict, now: Date): boolean {
    return this.statements.verdict.run({ id, verdict, now: now.getTime() }).changes > 0;
  }

  list(now: Date, limit = QUESTION_LIST_LIMIT): QuestionRecord[] {
    return this.statements.list.all(now.getTime(), limit).map((row) =>
      QuestionRecord.parse({
        id: row.id,
        askedAt: new Date(row.asked_at).toISOString(),
        text: row.text,
        outcome: row.outcome,
        top: row.top,
        confidence: row.confidence,
        verdict: row.verdict,
        expiresAt: new Date(row.expires_at).toISOString(),
      }),
    );
  }
}
