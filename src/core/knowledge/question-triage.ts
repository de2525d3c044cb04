import type { OpVersion } from "../ids.js";
import type { AnswerOutcome } from "./answer-schema.js";
import { OUT_OF_SCOPE } from "./intent.js";
import { checkIdsOf, type KnowledgeBase, opVersionsOf, type ReferenceId } from "./schema.js";
import { KnowledgeIndex, knowledgeIndex, type RankedEntry } from "./search.js";
import { classifierStem } from "./terms.js";
import { type Cues, ONE_CHILD_MISSING, type Word } from "./understand.js";

/**
 * What a question is about: the knowledge entries worth showing, best first, and what kind of
 * answer it needs. The extractive answerer, the LLM answerer, the LangChain retriever, suggestCheck
 * and the evaluation all decide through this one function.
 *
 * Two readers vote: the lexical search (BM25 over the text and keywords, after spelling correction
 * and negation) and the intent classifier trained on the entries' example questions. The search is
 * sure of named things ("End Date", "authority None"); the classifier of stories whose cause is
 * only implied. Each entry's score is a weighted sum of its share of the best search score and its
 * probability from the classifier.
 */
export interface Retrieval {
  /** The version to answer for: the one asked for, else one named in the question, else none. */
  version: OpVersion | undefined;
  /**
   * Relevant entries, best first (at most MAX_ENTRIES). For "guide", the checks the story points to
   * by their own words, to look at first on the way (often none); for "refuse", none.
   */
  entries: RankedEntry[];
  /**
   * For "guide" only: the checks the readers rank highest though the question does not say them,
   * shown apart as where its words lean. Never where the guided check starts (suggestCheck).
   */
  likely: RankedEntry[];
  /** True when entries answer the question ("answer"). */
  covered: boolean;
  /** answer: the entries; guide: an in-domain complaint naming no cause; refuse: outside the domain. */
  outcome: AnswerOutcome;
  cues: Cues;
  /** How sure the readers are, 0..1: the best entry's combined score or classifier probability. */
  confidence: number;
  /**
   * The checks are done (every one said fine, or the walk reached the last): the answer leads with
   * the last check and says Support, with its number, comes next.
   */
  thenSupport: boolean;
}

const MAX_ENTRIES = 3;
/** The entry on what to do once a fix is made. */
const AFTER_CHANGES: ReferenceId = "after-changes";
/** The entry on calling Support: what to gather, and the number. */
const ESCALATION: ReferenceId = "escalation";
/** How far a question that names what it needs (after a change, a block) puts that entry ahead of the best other one. */
const LEAD_MARGIN = 0.05;
/** A check the question names by keyword leads a complaint when it scores this share of the guided check. */
const NAMED_OVER_GUIDE = 0.5;
/** Below this classifier probability, a complaint naming no check's word is read as naming no cause. */
const UNSURE_UNNAMED = 0.5;
/** Keywords that say who a contact is, not what is wrong (see namedCheck in retrieve). */
const ROLE_KEYWORDS: ReadonlySet<string> = new Set(["guardian", "grandparent"]);
/** A classifier this sure of a story answers it, though the question asks for the whole check. */
const SURE_STORY = 0.7;
/** What the after-changes entry's score is multiplied by in a complaint that reports no change. */
const NO_CHANGE_SAID = 0.5;
/** Checks said to be fine at which, with the trouble still there, the checks count as done. */
const ALL_CHECKED = 3;
/** What Support's score is multiplied by in a complaint that does not ask for Support. */
const SUPPORT_UNASKED = 0.5;
/** What a how-to question's guided-check score is multiplied by. */
const HOW_TO_GUIDE = 0.5;
/** The reference entry for complaints that name no cause; its examples train the classifier. */
export const GUIDED_CHECK: ReferenceId = "guided-check";
/** An entry scoring below this share of the best one is noise, not a second symptom. */
const MIN_SHARE_OF_BEST = 0.1;
/** The combined score below which an entry is noise: not also worth checking, not where words lean. */
const MIN_LIKELY = 0.05;
/** The classifier's belief at which an untyped description of a cause names that check ("could that be overwriting stuff"). */
const SURE_SUSPECT = 0.8;
/** How much the classifier counts against the search (the rest). */
const CLASSIFIER_WEIGHT = 0.6;
/** The best entry needs at least this combined score to be the answer. */
const MIN_SCORE = 0.3;
/** The same for a question that mentions neither the portal nor a parent. */
const MIN_SCORE_OUTSIDE = 0.4;

/** What a ruled-out entry's score is multiplied by. */
const RULED_OUT = 0.3;
/** The out-of-scope class's probability above which a question it wins is declined. */
const OUT_BAR = 0.3;
/**
 * The same for a question asking for a number, saying nothing worked (Support's unless clearly not),
 * or complaining that a parent cannot see or get in (the domain's own problem unless clearly not).
 * 0.7 since the classifier learns from the labelled questions, whose many "who do we call about the
 * lab" declines make it surer of the out-of-scope class ("anybody we could call about this family").
 */
const OUT_BAR_FOR_SUPPORT = 0.7;

/**
 * "14.10", "OP 14.19", "v14.10": a version named in the question (one the content covers counts;
 * see retrieve).
 */
const VERSION_MENTION = /\b(?:op\s*|v(?:ersion)?\s*)?(\d+\.\d+)\b/gi;

export interface RetrieveOptions {
  /** The current year (birth years are read as ages against it); the clock's by default. */
  year?: number;
}

export function retrieve(
  knowledge: KnowledgeBase,
  question: string,
  version?: OpVersion,
  options: RetrieveOptions = {},
): Retrieval {
  const versions = opVersionsOf(knowledge);
  const mentioned = [...question.matchAll(VERSION_MENTION)]
    .map((m) => m[1])
    .find((v): v is OpVersion => versions.includes(v ?? ""));
  const answerVersion = version ?? mentioned;
  const index = knowledgeIndex(knowledge);
  // The version says which menus to show, not what the problem is: keep it out of the search. Two
  // versions named ("are we on 14.19 or 14.10") ask which one the practice runs.
  const named = new Set(
    [...question.matchAll(VERSION_MENTION)].map((m) => m[1]).filter((v) => versions.includes(v ?? "")),
  );
  const understood = index.understand(
    question.replace(VERSION_MENTION, (m, v: string) =>
      versions.includes(v) ? (named.size > 1 ? " which version " : " ") : m,
    ),
    options.year,
  );
  const { cues } = understood;
  let thenSupport = false;
  const result = (
    outcome: AnswerOutcome,
    entries: RankedEntry[] = [],
    confidence = 0,
    likely: RankedEntry[] = [],
  ): Retrieval => ({
    version: answerVersion,
    entries,
    likely,
    covered: outcome === "answer",
    outcome,
    cues,
    confidence: Math.min(1, Math.max(0, confidence)),
    thenSupport: thenSupport && outcome === "answer",
  });
  // What the question is about is outside the domain though it shares its words (scope.ts): a
  // staff member's OP login, a password, a patient's charts, a legal judgment.
  if (cues.outside) return result("refuse");

  const query = KnowledgeIndex.query(understood.words);
  const ranked = index.rank(query.text, { version: answerVersion, weights: query.weights });
  const probabilities = index.classify(understood);
  // A check the question names only to rule it out ("not a duplicate", "the end date is fine")
  // counts for less than one it names as the trouble.
  const { ruledOut, fine, others } = ruledOutEntries(index, understood.words, answerVersion);
  conditionOn(probabilities, ruledOut);
  const bestLexical = ranked[0]?.score ?? 0;
  const lexical = new Map(ranked.map((entry) => [entry.id, entry]));

  const combined: RankedEntry[] = [...knowledge.keys()].map((id) => {
    const hit = lexical.get(id);
    // An entry found only through its running text ("record", "number") counts half.
    const share =
      hit && bestLexical > 0 ? (hit.score / bestLexical) * (hit.keywords.length > 0 ? 1 : 0.5) : 0;
    const p = probabilities.get(id) ?? 0;
    return {
      id,
      kind: knowledge.get(id)?.kind ?? "check",
      // An entry without keywords (guided-check: vague complaints) has only its examples to go by.
      score: knowledge.get(id)?.keywords.length ? CLASSIFIER_WEIGHT * p + (1 - CLASSIFIER_WEIGHT) * share : p,
      matched: hit?.matched ?? [],
      keywords: hit?.keywords ?? [],
    };
  });
  for (const entry of combined) if (ruledOut.has(entry.id)) entry.score *= RULED_OUT;
  const escalation = combined.find((entry) => entry.id === ESCALATION);
  const after = combined.find((entry) => entry.id === AFTER_CHANGES);
  const guide = combined.find((entry) => entry.id === GUIDED_CHECK);
  /** Puts the entries a question names what it needs by ahead of the best one (LEAD_MARGIN). */
  const putAhead = (named: (entry: RankedEntry) => boolean, bonus = 0) => {
    const top = Math.max(...combined.map((entry) => entry.score));
    for (const entry of combined)
      if (named(entry)) entry.score = Math.max(entry.score + bonus, top + LEAD_MARGIN);
  };
  // A request for the number, every check tried, or what Support asked for ("support wants the
  // parent's ok to reset her password"): Support, whatever else the question mentions.
  // Three or more checks said to be fine and the trouble still there ("end date blank, authority
  // joint, portal minor, status active. still server error"): the checks are done, Support is next.
  const checkedOut = fine.size >= ALL_CHECKED && cues.trouble;
  if (escalation && (cues.number || cues.exhausted || cues.supportAsks || checkedOut))
    escalation.score = Math.max(escalation.score, 1);
  // Support comes after the checks or when asked for: a complaint that does not ask for it is not
  // answered with it ("she reset her password and still sees no kids").
  const unasked = cues.complaint && !(cues.number || cues.exhausted || cues.support || checkedOut);
  if (escalation && unasked) escalation.score *= SUPPORT_UNASKED;
  // What to do after a change answers a complaint that reports no change ("she can log in but the
  // twins are missing") only at half weight: its keywords ("log in again") are everyday words.
  if (after && cues.complaint && !cues.afterChange && !cues.changeSaid) after.score *= NO_CHANGE_SAID;
  // A question that asks for the number, says everything was tried or how to block someone names
  // what it needs: it is not a vague complaint.
  if (guide && (cues.block || cues.number || cues.exhausted || checkedOut)) guide.score = 0;
  // "Does he need to log in again", "did the merge work": what to do after a change, whatever was changed.
  if (cues.afterChange && !cues.number && !cues.exhausted) putAhead((entry) => entry === after);
  // "What authority do I set": the check whose column is asked for leads, whatever else is mentioned.
  const { asked } = cues;
  /** The check whose column the question asks for by name (its keyword). */
  const namesAsked = (id: string) =>
    asked !== undefined && (knowledge.get(id)?.keywords.includes(asked) ?? false);
  if (asked) putAhead((entry) => namesAsked(entry.id));
  // Asking what to set or how to do something names a task: less likely a vague complaint.
  if (guide && cues.howTo) guide.score *= HOW_TO_GUIDE;
  // "How do I block the nanny": the entry that says how to keep someone out answers it.
  // It leads: the question names what it needs, whatever else it mentions ("dad remarried").
  if (cues.block) putAhead((entry) => Boolean(knowledge.get(entry.id)?.keepOut.length), 0.3);
  // "…, what else" once checks are said to be fine, or every check said fine ("went down the whole
  // list"): read as a whole, the walk goes on after the last check ruled out, in the article's order;
  // at the last check (the interface: "if the above solutions do not correct the problem") Support
  // comes next, and past it Support leads.
  const walked =
    !(cues.number || cues.exhausted || cues.afterChange || cues.block || cues.asked || cues.supportAsks) &&
    (cues.allChecked || (cues.whatElse && fine.size > 0 && others.length === 0))
      ? nextInWalk(knowledge, fine, cues.allChecked)
      : undefined;
  if (walked) {
    const checks = checkIdsOf(knowledge);
    const next = walked === "support" ? undefined : combined.find((entry) => entry.id === walked);
    if (next) putAhead((entry) => entry === next, 0);
    if (escalation && (walked === "support" || walked === checks[checks.length - 1])) {
      const top = Math.max(...combined.filter((entry) => entry !== next).map((entry) => entry.score));
      escalation.score = Math.max(escalation.score, top + LEAD_MARGIN / 2);
      if (next) next.score = Math.max(next.score, escalation.score + LEAD_MARGIN);
      thenSupport = Boolean(next);
    }
    if (guide) guide.score = 0;
  }
  // A check's word typed, every word of the keyword, not read from the story.
  const typed = new Set(
    understood.words.filter((word) => word.weight > 0 && !word.read).map((word) => word.text),
  );
  const isTyped = (entry: RankedEntry) =>
    entry.id !== GUIDED_CHECK &&
    entry.id !== ESCALATION &&
    entry.keywords.some((keyword) => !ROLE_KEYWORDS.has(keyword) && typedKeyword(keyword, typed));
  // Everything tried and one check asked about as the cause ("we went through every check, could
  // one of our interfaces be causing this"): that check leads, and Support comes next.
  const suspected = cues.suspect && (cues.exhausted || cues.allChecked) && !cues.number;
  // The one typed, else the one the classifier is sure the description means ("a 3rd party app that
  // syncs our demographics overnight": the interface).
  const suspect = suspected
    ? (combined.find((entry) => isTyped(entry) && !ruledOut.has(entry.id)) ??
      combined.find(
        (entry) =>
          knowledge.get(entry.id)?.kind === "check" &&
          !ruledOut.has(entry.id) &&
          (probabilities.get(entry.id) ?? 0) >= SURE_SUSPECT,
      ))
    : undefined;
  if (suspect) {
    putAhead((entry) => entry === suspect, 0);
    thenSupport = true;
    if (guide) guide.score = 0;
  }
  combined.sort((a, b) => b.score - a.score || index.orderOf(a.id) - index.orderOf(b.id));
  /** The guided check, with the checks to look at first on the way. */
  const guided = (confidence: number) => {
    const { said, likely } = suggestions(knowledge, combined, ruledOut, understood.words);
    return result("guide", said, confidence, likely);
  };

  const best = combined[0];
  // Asking for the whole check ("what's the checklist", "what should I check") or saying the cause is
  // not known ("no clue why"), about the portal or a parent, with no check's word typed: the guided
  // check from the first check. A symptom read from the story (SYMPTOMS) is not a cause typed.
  const typedCheck = combined.some(isTyped);
  // A child missing and no cause said ("parent login works but child missing", "cannot see her
  // daughter"): the article gives no single cause for it, so the guided check leads, with the checks
  // the story points to (the entries a missing child is a keyword of: the Status) shown as the ones
  // to look at first. When the family's other children show ("mom sees one kid but not the other
  // two"), the parent's access works and the cause is that child's own: the Status leads (three of
  // the four blind writers who wrote such a question expected it; the fourth, the guided check).
  if (
    cues.childMissing &&
    !cues.othersShow &&
    cues.complaint &&
    !cues.error &&
    !causeSaid(understood.words, combined) &&
    !(
      cues.asked ||
      cues.number ||
      cues.exhausted ||
      cues.block ||
      cues.afterChange ||
      cues.fixFailed ||
      walked
    )
  )
    return guided(best?.score ?? 0);
  const sure = Math.max(...[...probabilities].filter(([id]) => id !== OUT_OF_SCOPE).map(([, p]) => p));
  if (
    ((cues.wholeCheck && sure < SURE_STORY) || cues.causeUnknown) &&
    cues.domain &&
    !cues.error &&
    !typedCheck &&
    !(cues.asked || cues.number || cues.exhausted || cues.block || cues.afterChange || cues.office || walked)
  )
    return guided(best?.score ?? 0);
  const out = probabilities.get(OUT_OF_SCOPE) ?? 0;
  // Outside the domain: the out-of-scope class beats every entry, or beats a complaint that names
  // no cause ("can a parent see the bill on the portal" is about billing, not a missing child).
  const outWins = out > (probabilities.get(best?.id ?? "") ?? 0) || best?.id === GUIDED_CHECK;
  // A request for a number or "nothing worked" is Support's, unless the number is clearly someone
  // else's ("the fax number for the billing office").
  const outBar =
    cues.number || cues.exhausted || cues.complaint || cues.support ? OUT_BAR_FOR_SUPPORT : OUT_BAR;
  // A column of the contact or chart asked for or its value stated, of a parent or the portal ("her
  // status was set to inactive after a billing dispute, mom can't see him"), is this domain's,
  // whatever office work the question mentions.
  // Checks said to be fine and what else asked ("status is active and he is 9, what else") is the walk
  // through this domain's checks.
  // A check's own word typed in a question about the portal or a parent's access ("do interfaces
  // affect whether kids show on the portal", "where do I confirm the child is Active so the parent
  // can see them online") is this domain's too: the classifier alone does not refuse it (the scope
  // reader's topics still do; "the lab interface is down" and "joint custody, who signs the consent"
  // are not about the portal or anyone's access).
  const surelySupport =
    ((cues.number || cues.exhausted) && (cues.support || cues.domain)) ||
    (cues.asked !== undefined && cues.domain) ||
    (typedCheck && cues.domain && !cues.outside && cues.portalAccess) ||
    // A child missing from what a parent sees is this domain's complaint, whatever else it names
    // ("we send data to the state immunization registry, could that be why the child isn't showing").
    (cues.childMissing && cues.domain && !cues.outside) ||
    walked !== undefined;
  if (!best || (outWins && out > outBar && !surelySupport)) {
    return result("refuse");
  }
  // A complaint that also says a check's own word ("divorced", "end date") names its likely cause:
  // that check, unless the guided check is far surer.
  // Who the parent is ("grandma is the guardian") is not a cause: a keyword that names only a role
  // does not make the check named.
  const namedCheck = combined.find(
    (entry) =>
      entry.id !== GUIDED_CHECK &&
      !(entry.id === ESCALATION && unasked) &&
      entry.keywords.some((keyword) => !ROLE_KEYWORDS.has(keyword)),
  );
  // A complaint that says no check's word at all, on which the classifier is unsure, names no cause.
  const unnamed =
    cues.complaint &&
    !namedCheck &&
    !(cues.afterChange || cues.number || cues.exhausted || cues.block || cues.howTo || walked) &&
    (probabilities.get(best.id) ?? 0) < UNSURE_UNNAMED;
  const lead =
    best.id === GUIDED_CHECK && namedCheck && namedCheck.score >= best.score * NAMED_OVER_GUIDE
      ? namedCheck
      : unnamed && guide
        ? guide
        : best;
  // A complaint that names no cause, said as such (best: the guided-check entry) or only weakly
  // pointing anywhere: the guided check from the first check; outside the domain, a refusal.
  // Either reader may be sure on its own (the classifier of a story, the search of a named thing);
  // a question that does not even mention the portal or a parent needs more to be answered.
  const strength = Math.max(lead.score, probabilities.get(lead.id) ?? 0);
  // The classifier always names some class; with no word of the question found in the knowledge it
  // must be surer ("what's the weather like?" shares nothing with any entry).
  // A fix made to a contact and what follows it is this domain's work too ("I set the end date to
  // blank, what else do I need to do"), unless the fix was other office work.
  const inDomain =
    cues.domain || ((cues.afterChange || cues.fixFailed) && !cues.office) || walked !== undefined;
  const bar = (inDomain ? MIN_SCORE : MIN_SCORE_OUTSIDE) + (bestLexical > 0 ? 0 : 0.2);
  // Asking how to keep a parent or sitter out names what it needs (the steps to close access),
  // however few of its words the knowledge shares.
  const asksToBlock = cues.block && cues.domain;
  // Asking what follows a fix names what it needs too (the after-change steps), however weakly the
  // readers point there ("i changed it. do i have to do anything else or is it automatic").
  const asksAfterFix = cues.afterChange && lead.id === AFTER_CHANGES;
  // Asking what a column should be, or how to set it, names the check it needs too ("how do I turn on
  // her ability to view the niece online": the Portal column).
  const asksColumn = cues.domain && namesAsked(lead.id);
  if (
    lead.id === GUIDED_CHECK ||
    (strength < bar && !asksToBlock && !asksAfterFix && !asksColumn && !walked)
  ) {
    // Office work on the portal that says nothing is wrong ("can the portal take copays") is not a
    // complaint to walk through the checks for; one asked about as a cause of portal problems ("a
    // check-in kiosk that pushes contacts into OP, has that caused portal problems") is.
    if (cues.office && !cues.problem) return result("refuse");
    return inDomain || lead.id === GUIDED_CHECK ? guided(strength) : result("refuse");
  }
  const entries = combined
    .filter((entry) => entry.id !== GUIDED_CHECK)
    .slice(0, MAX_ENTRIES)
    // An entry whose keyword the question says stays ("server error": Authority and the End Date
    // both explain it), however sure the classifier is of the other.
    .filter(
      (entry) =>
        entry.score >= Math.max(lead.score * MIN_SHARE_OF_BEST, MIN_LIKELY) ||
        (entry.keywords.length > 0 && !ruledOut.has(entry.id)),
    );
  // Everything said to be tried and a check still leads ("done all of this and it's still not
  // working": the interface): Support, with its number, is said to come next.
  if (cues.exhausted && entries[0]?.kind === "check") thenSupport = true;
  return result("answer", entries, strength);
}

/** Every word of the keyword typed ("older" alone is not the keyword "older portal"). */
function typedKeyword(keyword: string, typed: ReadonlySet<string>): boolean {
  return keyword
    .toLowerCase()
    .split(/\s+/)
    .every((word) => typed.has(word));
}

/**
 * The keywords of an entry the question says, each of several words said as one phrase ("new baby …
 * portal" is not "new portal"), typed or read from the story ("we cleaned up old charts": inactive).
 */
function keywordsSaid(words: readonly Word[], entry: RankedEntry): string[] {
  // Stems, without the words that carry no meaning ("the", "for"); the domain's own words stay.
  const stems = (list: readonly string[]) =>
    list.flatMap((word) => classifierStem(word) ?? []).filter((stem) => stem.length > 0);
  const said = stems(words.filter((word) => word.weight > 0).map((word) => word.text));
  const at = (i: number, stem: string) => {
    const s = said[i];
    return s !== undefined && (s.startsWith(stem) || stem.startsWith(s));
  };
  // Each word of the keyword within PHRASE_GAP words of the one before ("left for another practice").
  const phrase = (keyword: string) => {
    const [first, ...rest] = stems(keyword.toLowerCase().match(/[a-z0-9]+/g) ?? []);
    if (!first) return false;
    return said.some((_, start) => {
      if (!at(start, first)) return false;
      let i = start;
      for (const stem of rest) {
        let next = i + 1;
        while (next <= i + 1 + PHRASE_GAP && !at(next, stem)) next += 1;
        if (next > i + 1 + PHRASE_GAP) return false;
        i = next;
      }
      return true;
    });
  };
  return entry.keywords.filter(phrase);
}

/**
 * Whether the question says a cause: a keyword of an entry other than the guided check and Support
 * (keywordsSaid). Who the contact is and a child missing are not causes: they are what the checks
 * explain.
 */
function causeSaid(words: readonly Word[], combined: readonly RankedEntry[]): boolean {
  return combined.some(
    (entry) =>
      entry.id !== GUIDED_CHECK &&
      entry.id !== ESCALATION &&
      keywordsSaid(words, entry).some(
        (keyword) => !ROLE_KEYWORDS.has(keyword) && keyword !== ONE_CHILD_MISSING,
      ),
  );
}

/** Words that may stand between two words of a keyword said as a phrase ("left for another practice"). */
const PHRASE_GAP = 1;

/** How many checks a guided check shows as the ones to look at first. */
const MAX_SUGGESTED = 2;

/**
 * The checks a guided check shows first, none ruled out, at most MAX_SUGGESTED: those whose keyword
 * the story says or reads as ("one child missing": the Status), best first; then, shown apart as
 * where the words lean, the best-scoring others that the readers rank above the guided check ("his
 * email field = moms email": the shared email, though no keyword is said). Blind writers expect the
 * cause a story implies; the walk still starts at the first check, so a lean is only a hint.
 */
function suggestions(
  knowledge: KnowledgeBase,
  combined: readonly RankedEntry[],
  ruledOut: ReadonlySet<string>,
  words: readonly Word[],
): { said: RankedEntry[]; likely: RankedEntry[] } {
  const checks = combined.filter(
    (entry) => knowledge.get(entry.id)?.kind === "check" && !ruledOut.has(entry.id),
  );
  const said = checks.filter((entry) => keywordsSaid(words, entry).length > 0).slice(0, MAX_SUGGESTED);
  // A lean only where the readers rank the check above the guided check itself: a complaint that is
  // merely vague ("portal broken for the Smiths") leans nowhere (none of the questions labelled only
  // the guided check in the evaluation parts gets one; test/eval/retrieval.test.ts).
  const guide = combined.find((entry) => entry.id === GUIDED_CHECK)?.score ?? 0;
  const likely = checks
    .filter((entry) => !said.includes(entry) && entry.score >= Math.max(MIN_LIKELY, guide))
    .slice(0, MAX_SUGGESTED - said.length);
  return { said, likely };
}

/**
 * The classifier's belief once the question has ruled entries out: each ruled-out entry keeps
 * RULED_OUT of its probability and what it gives up goes to the other entries in proportion, as
 * if the classifier were asked "and if it is not that?" ("server error, authority is Joint so it's
 * not that": the End Date, not the Authority the words "server error" first point to).
 */
function conditionOn(probabilities: Map<string, number>, ruledOut: ReadonlySet<string>) {
  if (ruledOut.size === 0) return;
  let removed = 0;
  let rest = 0;
  for (const [id, p] of probabilities) {
    if (ruledOut.has(id)) removed += p * (1 - RULED_OUT);
    else if (id !== OUT_OF_SCOPE) rest += p;
  }
  if (rest <= 0) return;
  // Only to the other entries: ruling a check out says the question is still about the portal.
  for (const [id, p] of probabilities)
    if (ruledOut.has(id)) probabilities.set(id, p * RULED_OUT);
    else if (id !== OUT_OF_SCOPE) probabilities.set(id, p * (1 + removed / rest));
}

/**
 * Entries the question rules out: named in words it negates or says are fine ("not a duplicate",
 * "the end date is fine"), unless the rest of the question names no other entry (then the ruled-out
 * one is still the best lead: "end date is fine but the server error is back" still needs a check),
 * and how many checks it says are fine, whatever else it names.
 */
function ruledOutEntries(
  index: KnowledgeIndex,
  words: readonly Word[],
  version: OpVersion | undefined,
): { ruledOut: Set<string>; fine: Set<string>; others: string[] } {
  const ruled = words.filter((word) => word.ruledOut);
  if (ruled.length === 0) return { ruledOut: new Set(), fine: new Set(), others: [] };
  const named = (list: readonly Word[]) => {
    const query = KnowledgeIndex.query(list.map((word) => ({ ...word, weight: 1 })));
    return new Set(
      index
        .rank(query.text, { version })
        .filter((entry) => entry.keywords.length > 0)
        .map((entry) => entry.id),
    );
  };
  const ruledOut = named(ruled);
  const stillNamed = named(words.filter((word) => !word.ruledOut && word.weight > 0));
  const others = [...stillNamed].filter((id) => !ruledOut.has(id));
  return {
    ruledOut: others.length > 0 ? ruledOut : new Set([...ruledOut].filter((id) => !stillNamed.has(id))),
    // The checks the question says are fine, whatever else it names.
    fine: ruledOut,
    others,
  };
}

/**
 * Where the walk through the checks goes on once `fine` are said to be fine: the first check after
 * the last of them, in the article's order, not itself said fine; "support" past the last check.
 * Every check said fine: the last check (the interface), unless it too is said fine.
 */
function nextInWalk(
  knowledge: KnowledgeBase,
  fine: ReadonlySet<string>,
  allChecked: boolean,
): string | undefined {
  const checks = checkIdsOf(knowledge);
  const last = checks[checks.length - 1];
  if (allChecked) return last && !fine.has(last) ? last : "support";
  const after = Math.max(...checks.map((id, i) => (fine.has(id) ? i : -1)));
  if (after < 0) return undefined;
  return checks.slice(after + 1).find((id) => !fine.has(id)) ?? "support";
}
