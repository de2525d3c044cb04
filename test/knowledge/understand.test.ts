import { describe, expect, test } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { answerOffline, suggestCheck } from "../../src/core/knowledge/qa.js";
import { retrieve } from "../../src/core/knowledge/question-triage.js";
import { supportPhoneOf } from "../../src/core/knowledge/schema.js";
import { knowledgeIndex } from "../../src/core/knowledge/search.js";
import { osaDistance, SpellingCorrector } from "../../src/core/knowledge/spelling.js";
import { MAX_WORDS, SYMPTOMS } from "../../src/core/knowledge/understand.js";

/** Issue 14: how a question is read before it is searched and classified. */

const { knowledge } = loadContent();
const SUPPORT_PHONE = supportPhoneOf(knowledge);
const index = knowledgeIndex(knowledge);
/** What the question says beyond its words (asks for the number, blocks someone, ...), as of 2026. */
const cues = (q: string) => index.understand(q, 2026).cues;
/** The entry answered first, as of 2026. */
const first = (q: string) => retrieve(knowledge, q, undefined, { year: 2026 }).entries[0]?.id;
const outcome = (q: string) => retrieve(knowledge, q, undefined, { year: 2026 }).outcome;
const words = (q: string) =>
  index.understand(q, 2026).words.map((w) => (w.weight === 1 ? w.text : `${w.text}/${w.weight}`));
/** One test per question: the entry it is answered with first. */
const leadsWith = (cases: Array<[question: string, entry: string]>) =>
  test.each(cases)("%s → %s", (q, entry) => {
    expect(first(q)).toBe(entry);
  });
/** One test per question: read as outside the domain on that topic, and refused as such. */
const declined = (cases: Array<[question: string, topic: string]>) =>
  test.each(cases)("%s → declined (%s)", (q, topic) => {
    expect(cues(q).outside).toBe(topic);
    const answer = answerOffline(knowledge, q);
    expect(answer.outcome).toBe("refuse");
    expect(answer.answer).toMatch(/outside (?:what|the checks) I cover/);
  });

describe("spelling", () => {
  test("a swap of two neighbouring letters is one edit (optimal string alignment)", () => {
    expect(osaDistance("emial", "email", 2)).toBe(1);
    expect(osaDistance("parnets", "parents", 2)).toBe(1);
    expect(osaDistance("smae", "same", 2)).toBe(1);
    expect(osaDistance("abc", "xyz", 1)).toBe(2); // cut off at max + 1
  });

  test("corrects to the knowledge's words, splits run-together words, leaves common English alone", () => {
    expect(words("parnets share the smae emial adress")).toEqual([
      "parents",
      "share",
      "the",
      "same",
      "email",
      "address",
    ]);
    expect(words("emailaddress servererror")).toEqual(["email", "address", "server", "error"]);
    expect(words("we fixed the lock")).toEqual(["we", "fixed", "the", "lock"]);
  });

  test("a word typed in two pieces is joined when a piece is not a word and the whole is", () => {
    expect(words("serv er error portal mom")).toEqual(["server", "error", "portal", "mom"]);
    expect(words("dads e mail")).toContain("email");
    // Two words that are words stay two ("end date" is not "enddate", "log in" not "login").
    expect(words("the end date so she can log in")).toEqual([
      "the",
      "end",
      "date",
      "so",
      "she",
      "can",
      "log",
      "in",
    ]);
  });

  test("a drop down called Portal is the Portal column", () => {
    expect(first("family contacts has a drop down called Portal, what do i pick for a mom w/ a 6yo")).toBe(
      "portal-access",
    );
  });

  test("the common words staff use around the knowledge's (from the examples) are corrected too", () => {
    expect(words("tried everythign nothign worked")).toEqual(["tried", "everything", "nothing", "worked"]);
    // The examples' own typos are not targets: only their words that are common English words.
    expect(words("parnets emial")).toEqual(["parents", "email"]);
  });

  test("a correction is only ever a word of the given vocabulary, and work per word is bounded", () => {
    const speller = new SpellingCorrector(["custody"], new Map(), ["the"]);
    expect(speller.correct("custdoy")).toBe("custody");
    expect(speller.correct("the")).toBeUndefined();
    expect(speller.correct("x".repeat(5000))).toBeUndefined();
    expect(index.understand("email ".repeat(10_000), 2026).words).toHaveLength(MAX_WORDS);
  });
});

describe("ages and years", () => {
  test.each([
    "19yo w/ autism, dad needs to keep managing his portal",
    "DOB is 2006, mom lost access",
    "patient is 20 and mom can't see her chart",
  ])("%s → patient age, not the 2006-2010 portal", (q) => {
    const r = retrieve(knowledge, q, undefined, { year: 2026 });
    expect(r.entries[0]?.id).toBe("patient-age");
    expect(index.understand(q, 2026).words.map((w) => w.text)).not.toContain("legacy");
  });

  test("a portal year is the legacy portal", () => {
    expect(words("we've had the portal since 2008")).toContain("legacy");
  });
});

describe("negation and what the question already ruled out", () => {
  test("'custody not email' is about custody", () => {
    expect(retrieve(knowledge, "parents share custody not email").entries[0]?.id).toBe("portal-authority");
    expect(words("parents share custody not email")).toContain("email/0");
  });

  test("'Full but authority None' leads with Authority", () => {
    expect(retrieve(knowledge, "portal column says Full but dad's authority is None").entries[0]?.id).toBe(
      "portal-authority",
    );
  });

  test("a check said to be fine is ruled out: the other check it names leads", () => {
    expect(retrieve(knowledge, "the end date is fine, dad still gets a server error").entries[0]?.id).toBe(
      "portal-authority",
    );
    expect(retrieve(knowledge, "authority looks fine, end date is set to last year").entries[0]?.id).toBe(
      "start-end-dates",
    );
  });

  test("'not greyed out' keeps its words (the negation is not of a topic)", () => {
    expect(retrieve(knowledge, "email not greyed out after the change, is that normal?").entries[0]?.id).toBe(
      "after-changes",
    );
  });
});

describe("answers that fit the question", () => {
  test("how to block someone: the steps to set an End Date, not to clear it", () => {
    const answer = answerOffline(knowledge, "babysitter — how do I make sure she can't log in", "14.19");
    expect(answer.checks[0]).toBe("start-end-dates");
    expect(answer.answer).toContain("To keep someone out:");
    expect(answer.answer).toContain("Enter an End Date on that contact");
    expect(answer.answer).not.toContain("In OP 14.19:");
  });

  test("staff's own OP login is declined, not sent to the parent escalation", () => {
    const answer = answerOffline(knowledge, "reset my own OP login password");
    expect(answer.outcome).toBe("refuse");
    expect(answer.answer).toContain("not a parent's portal problem");
    expect(answer.answer).not.toContain(SUPPORT_PHONE);
  });

  test.each([
    "portal broken for the smith family",
    "parent says portal is messed up and she cant see anything, help??",
  ])("%s → the guided check from the first check, no Support", (q) => {
    const answer = answerOffline(knowledge, q);
    expect(answer.outcome).toBe("guide");
    expect(answer.checks).toEqual(["shared-email"]);
    expect(answer.answer).not.toContain("could not find");
    expect(answer.answer).not.toContain(SUPPORT_PHONE);
  });

  test("a story whose cause is implied: the guided check, with the check its words lean to shown apart", () => {
    // held-out-13 (writer14) expected the Portal column here; the readers rank it above the guided
    // check though no keyword is said.
    const q =
      "where's the setting that decides if a contact gets web access to a specific child? i keep looking in the parent's login account and can't find it";
    const retrieval = retrieve(knowledge, q);
    expect(retrieval.outcome).toBe("guide");
    expect(retrieval.entries).toEqual([]);
    expect(retrieval.likely.map((entry) => entry.id)).toContain("portal-access");
    expect(retrieval.likely.length).toBeLessThanOrEqual(2);
    const answer = answerOffline(knowledge, q);
    expect(answer.entries).toEqual(retrieval.likely.map((entry) => entry.id));
    expect(answer.answer).toContain("Your words lean most toward:\n- ");
    // A lean is not where the walk starts: the guided check still opens at the first check.
    expect(suggestCheck(knowledge, q)).toBeUndefined();
    expect(answer.checks).toEqual(["shared-email"]);
    // Only a check the readers rank above the guided check itself is a lean: a merely vague complaint
    // leans nowhere.
    for (const text of ["portal broken for the smith family", "portl not showin kids for grandma"]) {
      const vague = retrieve(knowledge, text);
      expect(vague.outcome).toBe("guide");
      expect(vague.likely).toEqual([]);
      expect(answerOffline(knowledge, text).answer).not.toContain("lean");
    }
  });

  test("his email field = moms email: the shared email is among the first checks shown (held-out-10)", () => {
    const retrieval = retrieve(
      knowledge,
      "dad cant see kids, just noticed his email field = moms email lol. fix?",
    );
    expect([...retrieval.entries, ...retrieval.likely].slice(0, 2).map((entry) => entry.id)).toContain(
      "shared-email",
    );
  });

  test.each([
    "what's the number for the office practicum help desk",
    "nothing worked, what now",
    "who do I call",
  ])("%s → the number first, then what to gather", (q) => {
    const answer = answerOffline(knowledge, q);
    expect(answer.entries[0]).toBe("escalation");
    expect(answer.answer).toContain(SUPPORT_PHONE);
    expect(answer.answer).toContain("first and last name");
  });

  test.each([
    "how do I reset the fax interface",
    "custody question about who can sign consent forms for a vaccine",
    "our wifi is down",
    // Other office work that shares a domain word (the classifier's "office" lookup group).
    "the end date on the prior auth is wrong",
    "our fax interface stopped working",
    "the claim status says denied",
    // Another office's number is not OP Support's.
    "who do I call about a billing question",
    "phone number for the school nurse",
  ])("%s (sharing a word with the domain, or not) is declined", (q) => {
    expect(answerOffline(knowledge, q).outcome).toBe("refuse");
  });
});

describe("symptoms said in other words", () => {
  test("every symptom phrase is a keyword of some entry (the content says which check explains it)", () => {
    const keywords = new Set(
      [...knowledge.values()].flatMap((entry) => entry.keywords.map((k) => k.toLowerCase())),
    );
    for (const { phrase } of SYMPTOMS) expect(keywords, phrase).toContain(phrase);
  });

  test.each([
    ["dad sees his daughter but not his son", "patient-status"],
    ["two of the three kids show on dad's portal", "patient-status"],
    ["we corrected mom's email and overnight it switched back", "interfaces"],
  ])("%s → %s", (q, id) => {
    expect(retrieve(knowledge, q, undefined, { year: 2026 }).entries[0]?.id).toBe(id);
  });

  test("a colleague's password is not a parent's portal problem", () => {
    expect(retrieve(knowledge, "reset the password for our new nurse").outcome).toBe("refuse");
  });
});

describe("more ways to ask for Support", () => {
  test.each([
    "how do i get ahold of office practicum",
    "none of this helped, now what?",
    "we're stuck, how do I contact OP",
    "tried everythign still cant see child on portal what now",
    "we've been at this for 2 days, i need a human at OP",
    "can i talk to a real person at office practicum",
  ])("%s → the number", (q) => {
    expect(answerOffline(knowledge, q).answer).toContain(SUPPORT_PHONE);
  });
});

test("a parent on the phone with staff is a call under way, not a number asked for", () => {
  expect(
    cues("I have a dad on the phone who logged in but there are no kids listed, can you help?").number,
  ).toBe(false);
  expect(cues("i have mom on the phone, what number does she call for support").number).toBe(true);
});

test("a person's email is not asking for a person to call", () => {
  expect(cues("does the portal need a person's own email").number).toBe(false);
});

describe("other office work in a question about a parent", () => {
  test("office words in a question about a parent and the portal are background", () => {
    expect(
      retrieve(knowledge, "the child was set to inactive after a billing dispute, mom can't see him")
        .entries[0]?.id,
    ).toBe("patient-status");
  });
});

describe("what the question asks for (eval2)", () => {
  test.each([
    "changed the authority to joint, does dad have to sign in again",
    "merged the contacts, did the merge work",
    "i fixed her contact, now what",
  ])("%s → after-changes first, whatever was changed", (q) => {
    expect(cues(q).afterChange).toBe(true);
    expect(retrieve(knowledge, q).entries[0]?.id).toBe("after-changes");
  });

  test("a question asking what to set is not a vague complaint", () => {
    expect(cues("the aunt is now the guardian, what do I set for her").howTo).toBe(true);
    expect(retrieve(knowledge, "the aunt is now the guardian, what do I set for her").outcome).toBe("answer");
  });

  test("a child's age is not the Minor setting; an adult's age outweighs 'the others show'", () => {
    expect(words("book the 5yo's checkup")).not.toContain("minor");
    const q = "dad sees the younger one but not the oldest, she's 18 now";
    expect(words(q)).not.toContain("missing");
    expect(retrieve(knowledge, q, undefined, { year: 2026 }).entries[0]?.id).toBe("patient-age");
  });

  test('a blank End Date or "that\'s not it" rules the check out', () => {
    expect(
      retrieve(knowledge, "the end date on her contact is blank but she gets a server error").entries[0]?.id,
    ).toBe("portal-authority");
    expect(
      retrieve(knowledge, "server error for mom, authority is exclusive so that's not it").entries[0]?.id,
    ).toBe("start-end-dates");
  });

  test("calling or phoning OP asks for the number; two versions named ask which one", () => {
    expect(cues("what should we have ready before phoning op").number).toBe(true);
    expect(retrieve(knowledge, "are we running 14.10 or 14.19").entries[0]?.id).toBe("newer-portal");
  });

  test('"went" is a word, not "we" + "n\'t"; "wants him blocked" asks to block', () => {
    expect(words("the email went back to the old one")).not.toContain("not");
    expect(retrieve(knowledge, "the fix held for a day, then the email went back").entries[0]?.id).toBe(
      "interfaces",
    );
    expect(cues("mom wants her ex blocked from the portal").block).toBe(true);
    expect(cues("mom is locked out of the portal").block).toBe(false);
  });

  test("a complaint that says a check's own word gets that check; a vague one the guided check", () => {
    expect(retrieve(knowledge, "the parent is divorced and now cannot see her daughter").entries[0]?.id).toBe(
      "start-end-dates",
    );
    expect(retrieve(knowledge, "portal broken for the smith family").outcome).toBe("guide");
  });

  test("office work on the portal that says nothing is wrong is declined, not a guided check", () => {
    expect(retrieve(knowledge, "can the portal take copays").outcome).toBe("refuse");
    expect(retrieve(knowledge, "is there a problem with the portal payment page").outcome).toBe("refuse");
  });

  test("office work asked about as a cause of portal problems is not refused: the interface", () => {
    // held-out-10 (writer11): refused before, though it asks whether the portal's trouble comes from it.
    const retrieval = retrieve(
      knowledge,
      "we use an outside check-in kiosk that pushes contacts into OP. has that ever caused portal visibility problems",
    );
    expect(retrieval.outcome).not.toBe("refuse");
    // Answered with it, or a guided check leaning to it.
    const shown = [...retrieval.entries, ...retrieval.likely].map((entry) => entry.id);
    expect(shown.slice(0, 2)).toContain("interfaces");
  });

  test("office work done on the portal is not a complaint about the portal", () => {
    expect(cues("mom can't pay the bill on the portal").complaint).toBe(false);
    expect(cues("mom can't see the kids on the portal").complaint).toBe(true);
  });
});

describe("what the question says happened (eval3)", () => {
  test.each([
    "ok so i merged grandpa's two contacts, is there anything he has to do",
    "cleared her end date just now, should i ring her or will it just work",
    "set the boy back to active, how long until he shows up for mom",
    "took the end date off dad, what happens next",
    "ok merged. now does she just log in?",
    "i put the end date back to blank, what else do i need to do",
  ])("a fix reported as done + what next: %s → after-changes", (q) => {
    expect(cues(q).afterChange).toBe(true);
    expect(first(q)).toBe("after-changes");
  });

  test("a fix to other office work, then what next, is still declined", () => {
    expect(retrieve(knowledge, "i changed the printer toner, what happens next").outcome).toBe("refuse");
  });

  test("a change only planned or asked about is not a fix made", () => {
    expect(cues("if i merge the two contacts does mom have to do anything").afterChange).toBe(false);
    expect(cues("should i clear the end date or wait for the court").afterChange).toBe(false);
  });

  test("a value belongs to the column it is said of", () => {
    expect(words("the authority for stepmom says None")).toEqual(
      expect.arrayContaining(["authority", "banned"]),
    );
    expect(words("the authority for stepmom says None")).not.toContain("none");
    expect(words("the portal is blank for her")).toContain("blank");
    expect(first("stepdad's authority reads None though his portal column is Minor")).toBe(
      "portal-authority",
    );
    expect(first("stepdad's portal dropdown reads None, authority is joint")).toBe("portal-access");
  });

  test("a ruled-out check's probability goes to the other checks, not to out-of-scope", () => {
    expect(first("mom gets the server error, her authority is already exclusive")).toBe("start-end-dates");
    // Asking whether something is fine does not rule it out.
    expect(retrieve(knowledge, "how can i see if a patient is active or not").outcome).toBe("answer");
  });

  test("a parent entered twice, said by what happened or by two spellings of a name", () => {
    const q1 =
      "when the twins came in someone set grandma up as a brand new contact, she sees only the oldest";
    expect(words(q1)).toEqual(expect.arrayContaining(["two", "contacts"]));
    // The duplicate explains the missing child: not a missing sibling of its own.
    expect(words(q1)).not.toContain("missing");
    expect(first(q1)).toBe("duplicate-contact");
    const q2 =
      "the girl's chart says 'Chris Moreno' and the boy's says 'Christopher Moreno', dad sees only the girl";
    expect(words(q2)).toEqual(expect.arrayContaining(["two", "contacts"]));
    expect(words("Sarah Smith and Sam Smith share one email")).not.toContain("contacts");
    expect(words("two of her kids show up")).not.toContain("contacts");
  });

  test("'none of the kids' is how many show, not the value None: a vague complaint", () => {
    expect(words("none of his kids show up on the portal")).not.toContain("none");
  });

  test("who or where to call, without the word number, gets the number", () => {
    for (const q of ["still broken after everything, call who", "where do we call for help with this"]) {
      expect(cues(q).number).toBe(true);
      expect(answerOffline(knowledge, q).answer).toContain(SUPPORT_PHONE);
    }
  });

  test("which value is the usual one asks about the setting", () => {
    expect(cues("what's the standard portal option for a parent of a baby").howTo).toBe(true);
    expect(first("what's the standard portal option for a parent of a baby")).toBe("portal-access");
  });

  test("'cut off at 18' asks about age, 'cut him off' asks to block", () => {
    expect(cues("does minor cut off when they turn 18").block).toBe(false);
    expect(cues("the sitter quit, cut her off the portal").block).toBe(true);
  });

  test("away at college is grown up; possessives without the apostrophe are the word", () => {
    expect(words("her son is away at college now")).toContain("adult");
    expect(words("grandmas contact")).toEqual(["grandma", "contact"]);
  });
});

describe("asking for a number after held-out-4 (lead, 2026-12-05; written after its first score)", () => {
  test.each([
    "we checked the vendor's sync, what phone number should we call now",
    "is there anybody we could call about this family",
    "which number do I dial for OP",
  ])("%s → Support's number, escalation first", (q) => {
    expect(cues(q).number).toBe(true);
    expect(first(q)).toBe("escalation");
    expect(answerOffline(knowledge, q).answer).toContain(SUPPORT_PHONE);
  });

  test("'thru' is 'through': going thru every check is having tried everything", () => {
    expect(cues("went thru every check on the list and dad still sees nothing").exhausted).toBe(true);
  });

  test("another office's number is not Support's", () => {
    expect(cues("what number do I give the parent for billing questions").number).toBe(false);
  });
});

describe("what the question is about: outside the domain though it shares its words (eval4)", () => {
  test.each([
    ["our school nurse can't remember her password for the pharmacy site", "credential"],
    ["grandpa wants his portal username emailed to him again", "credential"],
    ["dad asks what his portal login name was", "credential"],
    ["is there a way to change a parent's portal password from within OP", "credential"],
    ["the family keeps getting the wrong code from two factor sign in", "credential"],
    ["the new scribe starts tuesday and needs an OP login", "staff-account"],
    ["can you grant the float receptionist access to OP", "staff-account"],
    // held-out-13 (writer14): a check's word ("inactive", "end date") in a staff member's own records.
    ["how do i mark a staff member inactive in payroll", "staff-records"],
    ["what's the end date for open enrollment on our staff health plan", "staff-records"],
    ["combine the two charts the hospital made for the twin", "patient-chart"],
    ["there are duplicate patient records for one toddler, how do they get merged", "patient-chart"],
    ["can a stepmom legally pick up records for the kids", "legal"],
    ["dad's attorney says the practice has to give him everything, true?", "legal"],
  ])("%s → declined (%s)", (q, topic) => {
    expect(cues(q).outside).toBe(topic);
    expect(outcome(q)).toBe("refuse");
    expect(answerOffline(knowledge, q).answer).toMatch(/outside what I cover/);
  });

  test.each([
    ["OP support needs the mother's ok to reset her portal password and log in as her", "escalation"],
    ["the dad's password works fine, he just can't see his youngest", undefined],
    ["merge the second contact we made for grandma", "duplicate-contact"],
    ["the judge awarded sole custody to mom, which authority goes on dad's line", "portal-authority"],
    ["mom's benefits changed and now her portal shows no kids", undefined],
    // held-out-13: why the law keeps parents' accounts apart is the shared-email check's reason.
    ["is there some privacy law reason parents cant have one combined portal account?", "shared-email"],
  ])("%s → the domain's own use of the words", (q, entry) => {
    expect(cues(q).outside).toBeUndefined();
    if (entry) expect(first(q)).toBe(entry);
    else expect(outcome(q)).not.toBe("refuse");
  });
});

describe("a negated verb says something is wrong (eval4)", () => {
  test("'is not listed' keeps its 'not' for the classifier; 'not a duplicate' still rules the topic out", () => {
    expect(words("the son is not listed for her")).toContain("not");
    expect(words("not a duplicate, she is right there").some((w) => w.startsWith("duplicate/0"))).toBe(true);
  });
});

describe("a status named after the other columns (eval4)", () => {
  test.each([
    "no dupes, authority joint, portal Full. the boy's status reads Discharged tho",
    "emails are different, nothing in end date, authority is blank. status is Archived though, is that why",
  ])("%s → patient status first (a closing 'tho' contrasts its own clause)", (q) => {
    expect(first(q)).toBe("patient-status");
  });
});

describe("a complaint that names no cause starts the guided check (eval4)", () => {
  test.each([
    "stepdad gets into the portal fine but no kids come up",
    "her aunt is the guardian and the boys don't show for her",
    "dad can log on but his screen shows zero kids",
  ])("%s → guided check (no check's word; who the contact is is not a cause)", (q) => {
    expect(outcome(q)).toBe("guide");
  });

  test("a guardian set up is a how-to, and 'inactivated' is the status", () => {
    expect(first("grandma is the new guardian, what portal setting does she get")).toBe("portal-access");
    expect(
      first("we inactivated a few old charts last week and now a dad's daughter is gone from his portal"),
    ).toBe("patient-status");
  });

  declined([
    ["the portal won't load for any of our families this morning", "outage"],
    ["a subpoena came for the chart, who do we send it to", "legal"],
    ["how do I get one notice out by email to every family before the holiday", "practice-email"],
    ["outlook keeps freezing on the front desk pc", "practice-email"],
    ["families say the portal won't let them see their next appointments", "portal-feature"],
    ["can we switch the portal's colors to match our new logo", "portal-feature"],
    // What the portal says of the practice (hours, address) is its content, not a family's access.
    ["Portal is showing our old office hours, how do I change them?", "portal-feature"],
    ["the portal has the wrong phone number for our office", "portal-feature"],
    ["mom has the kids every other weekend per the agreement, where does that go", "custody-schedule"],
    ["the exes keep arguing about custody, can we say who is right", "legal"],
    ["how do we restart the hl7 engine service after the upgrade", "system"],
  ]);
});

describe("a fix that did not last points past the fix (eval4)", () => {
  test.each([
    "merged grandpa's two contacts last week, this morning there are 2 of him again",
    "fixed the duplicate for mom on monday and by wednesday she has two again",
    "combined the two dad records friday and monday there are two of him again",
    "each morning some program flips grandma's authority to none",
    "merged the aunt's duplicate on the 3rd and on the 5th there were two of her again",
  ])("%s → interfaces first, not the fix already made", (q) => {
    expect(first(q)).toBe("interfaces");
  });
});

describe("what happened, read from more stories (eval4, after dev-6's first score)", () => {
  leadsWith([
    [
      "grandma was added once for the twins in 2021 and again for the baby this year, she only sees the twins",
      "duplicate-contact",
    ],
    ["her last name is spelled two different ways on the kids, she sees one of them", "duplicate-contact"],
    [
      "we purged patients with no visits since 2020 and families say kids are gone from the portal",
      "patient-status",
    ],
    [
      "the eldest vanished from mom's portal, the little ones still show. he just celebrated a birthday",
      "patient-age",
    ],
    ["her ex-husband can still see the girls online, mom needs him off the portal", "start-end-dates"],
    ["cleared dad's end date, he says still nothing, he's stayed logged in since", "after-changes"],
    [
      "mom and dad split up and both should keep seeing the kids, which authority should i pick",
      "portal-authority",
    ],
    ["the nanny left in june, what end date do we enter for her", "start-end-dates"],
  ]);

  declined([
    ["we were locked out of OP all morning, who handles staff passwords", "own-login"],
    ["can you pull a report of every family with a portal account", "report"],
  ]);
});

describe("Support only when asked for or after the checks (eval4)", () => {
  test("a complaint that mentions a password reset but does not ask for Support starts the guided check", () => {
    expect(first("could support log in as the mom to see what she sees")).toBe("escalation");
    expect(retrieve(knowledge, "mom did a password reset but the boys still don't show").outcome).toBe(
      "guide",
    );
    expect(first("support wants the dad's ok to reset his password, what else do they need")).toBe(
      "escalation",
    );
  });

  test("'shows the appointments but not…' is not one child missing", () => {
    expect(words("her portal shows the appointments but not the records")).not.toContain("missing");
  });
});

describe("a child said to be fine is not a child missing (eval5)", () => {
  declined([
    ["grandma can't remember her portal password, she saw both boys fine last week", "credential"],
    ["how does dad get a new portal password? the kids were showing ok until he forgot it", "credential"],
    ["please reset mariahs OP login, the float nurse is using her desk today", "staff-account"],
    ["the temp needs to borrow her access to OP while she is out", "staff-account"],
  ]);

  test.each([
    "dad changed his portal password and now his daughter does not show up",
    "mom's password works but her son is missing from the portal",
  ])("%s → the domain's problem", (q) => {
    expect(cues(q).outside).toBeUndefined();
    expect(outcome(q)).not.toBe("refuse");
  });

  test("the cue patterns read the question as the knowledge spells it", () => {
    expect(first("authorty says none on dads line")).toBe("portal-authority");
    // "shes" is "she is", not "sees"; "resetting" is not split into "reset ting".
    expect(words("shes resetting it")).toEqual(["she", "is", "resetting", "it"]);
  });
});

describe("asking to escalate or whom to hand the facts to; a fix that did not work (eval5)", () => {
  test.each([
    "got her email, the kids' names and everything we changed. where do i send all this",
    "is it time to escalate this one?",
    "we've gone back and forth on this family for a week, should we escalate",
    "who do we pass this info to",
  ])("%s → Support's number", (q) => {
    expect(cues(q).number).toBe(true);
    expect(first(q)).toBe("escalation");
    expect(answerOffline(knowledge, q).answer).toContain(SUPPORT_PHONE);
  });

  test("a trouble that stayed after a fix rules the fixed column out, and is not an after-change question", () => {
    const q = "dad is still getting the server error after we switched his authority to exclusive";
    expect(cues(q).afterChange).toBe(false);
    expect(first(q)).toBe("start-end-dates");
    // Asking about timing is the after-change question still.
    expect(
      cues("switched his authority to exclusive but he still sees nothing, is there a delay").afterChange,
    ).toBe(true);
  });
});

describe("a value stated of a column leads; a cause asked about is not a block (eval5)", () => {
  leadsWith([
    [
      "the girl's status got changed to transferred by mistake, could that be why dad lost her",
      "patient-status",
    ],
    ["portal column is set to none for grandma on the baby only", "portal-access"],
    ["does the inactive status keep mom from seeing his chart", "patient-status"],
  ]);

  test("would that stop her from seeing him asks for a cause; stop her from seeing him asks for a block", () => {
    expect(cues("would the end date stop her from seeing him").block).toBe(false);
    expect(cues("how do i stop her from seeing him").block).toBe(true);
  });

  test("a change made and is there a wait: what to do after a change", () => {
    expect(first("cleared dad's end date, is there a wait before he sees them")).toBe("after-changes");
  });
});

describe("one address on both parents, one parent under two last names (eval5)", () => {
  leadsWith([
    ["grandpa and grandma have the identical email, they each want their own login", "shared-email"],
    ["turns out her hotmail address is on dad's contact as well, he sees nothing", "shared-email"],
    ["both parents have the same gmail on them and only one gets in", "shared-email"],
    ["we have her as Maria Ortiz and as Maria Delgado, she only sees the oldest", "duplicate-contact"],
  ]);

  test("a parent's own old address back on her own contact is not two parents on one address", () => {
    expect(words("the vendor keeps putting moms old email back on her contact")).not.toContain("same");
  });
});

describe("asking for the whole check, or saying the cause is unknown (eval5)", () => {
  test.each([
    "what's the troubleshooting list when a dad can't see his kids on the portal",
    "grandma sees the twins but not the baby, not sure why, everything looks fine to me",
    "dad cant see his son online and i have no idea what's wrong",
  ])("%s → the guided check", (q) => {
    expect(outcome(q)).toBe("guide");
  });

  test.each([
    // A cause typed, or an error (two known causes), is answered with its check.
    ["no idea why but dad's end date says 2023 and he cannot see the kids", "start-end-dates"],
    ["mom gets an error page every time, no clue why", "portal-authority"],
  ])("%s → %s", (q, entry) => {
    expect(retrieve(knowledge, q, undefined, { year: 2026 }).entries.map((e) => e.id)).toContain(entry);
  });

  test("where is the portal drop down: the Portal column's check", () => {
    expect(first("where's the portal dropdown in 14.10")).toBe("portal-access");
  });
});

describe("a fix that did not work, more credential and staff wordings (eval5, after batch H)", () => {
  test("the fix clause of a fix that did not work is ruled out, with its symptom", () => {
    const q = "combined dad's two records yesterday, he still sees nothing. what else could it be";
    expect(cues(q).fixFailed).toBe(true);
    expect(words(q)).not.toContain("two contacts");
    expect(outcome(q)).not.toBe("refuse");
    expect(first(q)).not.toBe("duplicate-contact");
  });

  test("what else after the trouble that stayed rules out the fix, not the trouble", () => {
    expect(first("took the end date off mom but she still gets the server error, what else")).toBe(
      "portal-authority",
    );
  });

  test("every time the feed runs, a contact comes back: an interface", () => {
    expect(first("each time the lab sync runs, dad's contact gets copied again")).toBe("interfaces");
  });

  declined([
    ["dad can't remember his portal login, he had no trouble seeing the boys last month", "credential"],
    ["the scribe keeps getting locked out of OP", "staff-account"],
  ]);
});

describe("what to send Support, nothing fixed it, both parents keep access (eval5, after batch I)", () => {
  test.each([
    "what do we need to give support before they open a case",
    "nothing on the checklist fixed it and grandpa still sees no one",
  ])("%s → Support's number", (q) => {
    expect(answerOffline(knowledge, q).answer).toContain(SUPPORT_PHONE);
  });

  test("nothing else changed is not nothing worked", () => {
    expect(cues("she turned 18 last week and nothing else changed").exhausted).toBe(false);
  });

  test("two parents who should both keep access: the Authority (Joint)", () => {
    expect(first("mom and dad split up but both should still see the kids")).toBe("portal-authority");
  });
});

describe("not supposed to have contact, the facts gathered, printing a list (eval5, after batch J)", () => {
  test("someone not supposed to have access asks for a block", () => {
    expect(cues("grandpa's not allowed to see the girls anymore, court said so").block).toBe(true);
  });

  test("the facts gathered and what now: Support's number", () => {
    expect(answerOffline(knowledge, "collected the info support needs, what next?").answer).toContain(
      SUPPORT_PHONE,
    );
  });

  test("printing a list is a report", () => {
    expect(cues("can i print out a list of every family with a portal account").outside).toBe("report");
  });
});

test("a complaint that reports no change is not answered with what to do after one (eval5)", () => {
  const q = "Mr. Park phoned again. He can log in to the portal fine but his youngest isn't there";
  expect(cues(q).changeSaid).toBe(false);
  expect(first(q)).not.toBe("after-changes");
  expect(first("i merged dad's contacts, does he have to log in again")).toBe("after-changes");
});

describe("removed, temporary, slow (eval5, after batch K)", () => {
  test("wants the stepdad removed asks for a block", () => {
    expect(cues("mom wants stepdad removed from the portal").block).toBe(true);
  });

  test("access for a while only: the End Date", () => {
    expect(first("the aunt is watching the kids and needs portal access for two weeks")).toBe(
      "start-end-dates",
    );
  });

  test("the portal slow, said of no one, is declined; one parent's trouble is not", () => {
    expect(cues("the portal is really slow this morning").outside).toBe("outage");
    expect(cues("portal is slow and mom can't see her son").outside).toBeUndefined();
  });
});

test("a symptom's phrase typed is a cause typed, though the story reader also uses it (eval5)", () => {
  expect(first("no idea why, mom and dad have the same email and dad sees nothing")).toBe("shared-email");
});

test("a status value said of a child a parent cannot see is the status check, whatever office work is named (eval5)", () => {
  expect(first("he got set to inactive over an unpaid bill and now mom can't see him")).toBe(
    "patient-status",
  );
  expect(outcome("the claim status says denied")).toBe("refuse");
  expect(first("endate on the sitter from last year")).toBe("start-end-dates");
});

describe("a parent's device, the portal's compliance (eval5, after batch L)", () => {
  declined([
    ["dad's login works on his iphone but not on his laptop", "device"],
    ["is our patient portal secure enough for hipaa", "portal-feature"],
  ]);

  test("a child missing on one device is still the domain's; talking on the phone is not a device", () => {
    expect(cues("on her phone the baby is missing from the portal").outside).toBeUndefined();
    expect(cues("how do i get someone at OP on the phone").outside).toBeUndefined();
  });
});

describe("states denied, checks said to be fine (eval5, after batch M)", () => {
  test("the email is not shared rules the shared email out; we do not have an interface rules interfaces out", () => {
    expect(words("the email is not shared")).toEqual(["the", "email/0", "is", "shared/0"]);
    expect(words("we do not have an interface")).toContain("interface/0");
  });

  test("three checks said to be fine and the trouble still there: Support", () => {
    expect(first("no end date, authority joint, status active, and mom still gets a server error")).toBe(
      "escalation",
    );
  });

  test("her account is active is the portal account, not the Status", () => {
    expect(words("her account is active")).toContain("working");
    expect(first("the patient status is active but mom cannot see him")).not.toBe("patient-status");
  });

  test("a child's birth year says who, not the age check; OP needing permission is the escalation", () => {
    expect(first("born 2015, dad cant see her records")).not.toBe("patient-age");
    expect(first("does support need mom's ok to sign in as her")).toBe("escalation");
  });
});

describe("an End Date by its date, a baby's age in months, a fix undone by an interface (eval5, after batch N)", () => {
  leadsWith([
    ["grandpa's contact says end 12/31/2024", "start-end-dates"],
    ["grandma's contact keeps getting re-created by the lab feed", "interfaces"],
    ["why does each parent need a different email", "shared-email"],
  ]);

  test("all the kids except the 2 month old: one child missing, a baby", () => {
    const read = words("dad sees all the kids except the 2 month old");
    expect(read).toContain("baby");
    expect(read).toContain("missing");
  });
});

describe("more wordings (eval5, after batch O)", () => {
  declined([
    ["how do i unmerge grandpa's contacts", "unmerge"],
    ["how many parents are on our portal", "report"],
    ["does the portal have a mobile app", "portal-feature"],
  ]);

  test("asking whether a vendor could undo a merge is the interface, not an unmerge", () => {
    expect(cues("the hospital feed changes contacts, could it undo the merge").outside).toBeUndefined();
  });

  test("dosnt is does not; neither of them can see is a complaint; how should the portal be set asks for the Portal column", () => {
    expect(words("dad dosnt see them")).toEqual(["dad", "does", "not", "see", "them"]);
    expect(cues("now neither of them can see the kids").complaint).toBe(true);
    expect(first("how should the portal be set for his 19 year old")).toBe("portal-access");
  });

  test("the other child showing fine is one child missing; the other parent fine is not", () => {
    expect(words("her daughter's show up fine but not her son")).toContain("missing");
    expect(words("the other parent is fine, dad gets a server error")).not.toContain("missing");
  });
});

describe("a child missing with no cause: the guided check leads; the others said to show, the Status leads", () => {
  test.each(["his daughter is not showing for him on the portal", "dad's login is fine but the kid is gone"])(
    "%s → guided check",
    (q) => {
      expect(outcome(q)).toBe("guide");
    },
  );
  // The parent's access works for the others: that child's own Status (three of four blind writers).
  leadsWith([
    ["grandpa sees the older girl but her little brother is not on there", "patient-status"],
    ["dad sees two of the kids but not the third one", "patient-status"],
  ]);
  test("the others showing is read as such, one child alone is not", () => {
    expect(cues("dad sees two of the kids but not the third one").othersShow).toBe(true);
    expect(cues("dad's login is fine but the kid is gone").othersShow).toBe(false);
  });
  leadsWith([["the older boy shows but his sister does not, her status says inactive", "patient-status"]]);
  test("only one of the parents getting in is not a child missing", () => {
    expect(
      cues("mom and dad both typed one address on their contacts, only one of them can get in").childMissing,
    ).toBe(false);
  });
});

test("turning the portal off for someone is a block request; a parent typed in again is two contacts", () => {
  expect(cues("can i turn off portal for just one parent").block).toBe(true);
  expect(cues("how do i turn her access off").block).toBe(true);
  expect(first("mom sees 2 of her 3 kids, i think mom got typed in again as new")).toBe("duplicate-contact");
});

test("a check's own word in a question that says portal is not refused; the same word elsewhere is", () => {
  expect(first("do interfaces affect whether kids show on the portal")).toBe("interfaces");
  expect(outcome("the lab interface is down again")).toBe("refuse");
  expect(outcome("dad has joint custody, can he sign the vaccine consent")).toBe("refuse");
});

test("not wanting someone to see the records is a block request", () => {
  expect(cues("mom doesnt want the stepmom seeing records anymore, what do i change").block).toBe(true);
  expect(cues("she wants her ex removed from seeing the portal").block).toBe(true);
  expect(cues("mom doesn't want to see the bill on the portal").block).toBe(false);
});

test("a list of checks looked at goes on past its first comma", () => {
  expect(words("checked the email, status and end date, all fine. what else")).toEqual([
    ...["checked/0.25", "the/0.25", "email/0.25", "status/0.25", "and/0.25", "end/0.25", "date/0.25"],
    ...["all/0.25", "fine/0.25", "what", "else"],
  ]);
  // A check followed by a contrast is not an item of the list before it.
  expect(first("Authority is Joint so that's ok, the End Date though is 2024")).toBe("start-end-dates");
});

test("five checks or more named as looked at is every check; calling in a ticket asks for the number", () => {
  expect(
    cues("checked email, dups, status, access, authority, dates. still broken, next step?").allChecked,
  ).toBe(true);
  expect(cues("checked email and status, next step?").allChecked).toBe(false);
  expect(
    answerOffline(knowledge, "gonna call in a ticket about a dad, what will they ask me for").answer,
  ).toContain(SUPPORT_PHONE);
});

describe("a change made and whether to wait or log out asked: what follows a change", () => {
  leadsWith([
    ["merged his two contacts, still nothing, do I have to wait or should he log out", "after-changes"],
    ["set her status to active an hour ago, should mom log back in", "after-changes"],
    // Told, not asked: a feed that syncs puts the change back (the interface).
    ["fixed dads contact yesterday, today its back. our hospital interface syncs demographics", "interfaces"],
  ]);
});

describe("every check said fine, what else: the walk goes on; at its end the interface, then Support (eval6)", () => {
  test("every setting said fine and another cause asked for → the interface, then Support with its number", () => {
    const q = "checked every column on her line and they all look right, any other ideas before i call?";
    const retrieval = retrieve(knowledge, q, undefined, { year: 2026 });
    expect(retrieval.entries.map((e) => e.id).slice(0, 2)).toEqual(["interfaces", "escalation"]);
    expect(answerOffline(knowledge, q).answer).toContain(SUPPORT_PHONE);
  });
  leadsWith([
    // The walk goes on after the last check said fine, in the article's order.
    ["status is active and he is 9, what else", "portal-access"],
    // Every check done, said of the checks themselves: Support, as before.
    ["we went through all the checks, what now", "escalation"],
    // The interface said not to be there, every setting fine: Support.
    ["no interface at our office, all the family contact fields look ok, what next", "escalation"],
    // "Anything else … I should look at" asks for the next check too (held-out-10, writer11).
    [
      "changed dad's authority to joint, still nothing for him. anything else on that same contacts row i should look at?",
      "start-end-dates",
    ],
  ]);
});

describe("a question asked after a fix is the after-change question (eval6)", () => {
  leadsWith([
    ["set her portal to minor, will it just update automatically", "after-changes"],
    ["how can we confirm the merge worked without knowing mom's password", "after-changes"],
    ["how long until her email goes gray in family contacts", "after-changes"],
    ["cleared dad's end date, should i let support know what i changed", "after-changes"],
    ["switched her status to active, will the portal update on its own?", "after-changes"],
    // held-out-12 and -10: "do I need to do anything else?" and "what should I do next" after a change.
    ["After switching portal access to Minor do I need to do anything else?", "after-changes"],
    [
      "I removed the end date. What should I do next to confirm the parent can actually see the kids now?",
      "after-changes",
    ],
    // held-out-13 (writer14).
    ["set the portal dropdown to Minor for dad. how do i know it actually worked", "after-changes"],
    // A fix said not to work is Support's business, not the after-change question.
    [
      "merged her contacts and fixed the email, still broken, should i tell support what we did",
      "escalation",
    ],
  ]);
});

describe("in the domain or not: who, and what goes wrong for them (held-out-11 and -12)", () => {
  test("a relative's or a family's entries online are this domain's; signing a consent form is not", () => {
    expect(cues("aunt has guardianship papers now. how do i view the niece online").domain).toBe(true);
    expect(cues("highlighted both of moms entries, how do i smush them together").domain).toBe(true);
    // "sign" is signing in, not signing a form.
    expect(cues("dad has joint custody, can he sign the vaccine consent").domain).toBe(false);
    expect(retrieve(knowledge, "dad has joint custody, can he sign the vaccine consent").outcome).toBe(
      "refuse",
    );
  });

  test("a parent's permission for OP to reset the password is Support's question, not a staff account", () => {
    const q =
      "Do we need the parent's permission for Office Practicum to reset their password and test the account?";
    expect(cues(q).outside).toBeUndefined();
    expect(retrieve(knowledge, q).entries[0]?.id).toBe("escalation");
    expect(cues("give the new biller access to office practicum").outside).toBe("staff-account");
  });

  test("a check's word in a question about a parent's access is not refused by the classifier alone", () => {
    const q =
      "Mom has sole custody as of this month and wants her ex removed from seeing her daughter's records online.";
    expect(retrieve(knowledge, q).outcome).toBe("answer");
  });
});

describe("what a look found, and a setting asked for beside office work (held-out-14)", () => {
  leadsWith([
    // A check looked at that found something is the lead, not a check ruled out.
    [
      "checked the end date column for this dad and it has a date in it from last month. remove it?",
      "start-end-dates",
    ],
    // A column asked for is the domain's, whatever portal feature the question also mentions.
    [
      "billing wants custody noted for statements too, but for the portal side: parents live together, what should authority be?",
      "portal-authority",
    ],
  ]);
  test("a look that found nothing wrong still rules the check out", () => {
    expect(words("checked the end date, it's blank, what else").some((w) => w.startsWith("end/0"))).toBe(
      true,
    );
  });
});

describe("a value stated is not a change made (held-out-13)", () => {
  leadsWith([
    // "Switch on portal for her" asks for the Portal column by name.
    [
      "grandma is listed on both kids but can't see either of them online. do i have to switch on portal for her separately?",
      "portal-access",
    ],
    [
      "dad got added to the kid's family list yesterday. email is right, no duplicates, child is active. he still sees nothing. his portal column is just set to nothing",
      "portal-access",
    ],
  ]);
});

describe("a task on a check's value is not the value said fine (held-out-12)", () => {
  leadsWith([
    [
      "Where in the chart do I confirm the child is Active so the parent can see them online?",
      "patient-status",
    ],
  ]);
});

describe("everything tried and one check asked about as the cause (held-out-11 and -12)", () => {
  test.each([
    "We went through every check and everything looks right. Could one of our interfaces be causing this?",
    "tried everything in the article and still no kids on the portal. could our ehr integration be messing w/ contacts?",
  ])("%s → the interface, then Support with its number", (q) => {
    const answer = answerOffline(knowledge, q);
    expect(answer.entries.slice(0, 2)).toEqual(["interfaces", "escalation"]);
    expect(answer.answer).toContain(SUPPORT_PHONE);
  });

  test("everything tried with no cause asked about: Support first, as before", () => {
    expect(answerOffline(knowledge, "we went through all the checks, what now").entries[0]).toBe(
      "escalation",
    );
  });
});

describe("lists of what was looked at, parents who split, and a missing child never declined (held-out-15)", () => {
  test("a terse list of checks with the values found is every check, and what's left asks for the next", () => {
    const q =
      "checked emails, no dupes, kid active, under 18, portal minor, authority joint, no dates. whats left";
    expect(cues(q).whatElse).toBe(true);
    expect(cues(q).allChecked).toBe(true);
    expect(answerOffline(knowledge, q).entries.slice(0, 2)).toEqual(["interfaces", "escalation"]);
    // A value alone, with no look said before it, is not a list of what was looked at.
    expect(cues("kid active, authority joint, dad sees nothing").allChecked).toBe(false);
  });
  test("a check 'including' in a list of every check is looked at too", () => {
    const q =
      "We have checked every item in the article, including interfaces, and the parent still sees nothing. What is the next step?";
    expect(first(q)).toBe("escalation");
    expect(answerOffline(knowledge, q).answer).toContain(SUPPORT_PHONE);
  });
  test("one of the two parents is not one of the children", () => {
    expect(cues("portal throws a server error but only for one of the two parents").othersShow).toBe(false);
    expect(cues("mom sees one of the two kids").othersShow).toBe(true);
  });
  leadsWith([
    [
      "parents split up in the spring and since then dad cant get to the kids on the portal",
      "portal-authority",
    ],
  ]);
  test("a child missing on the portal is not declined for the office work it mentions", () => {
    expect(
      outcome(
        "we send data to the state immunization registry, could that connection be why the child isnt showing",
      ),
    ).not.toBe("refuse");
    expect(outcome("can you enroll us in the state immunization registry")).toBe("refuse");
  });
  test("a check's word about records or a chart alone, not the portal or anyone seeing in, is refused as the classifier says", () => {
    expect(
      outcome("What is our policy for releasing records over the phone to a non-custodial parent?"),
    ).toBe("refuse");
  });
});

describe("an adult among children who show, and letting someone see (held-out-10, -13 and -14)", () => {
  leadsWith([
    [
      "weekend q: dad can see his 12yo fine but not his 18yo. both kids active, email checks out",
      "patient-age",
    ],
    ["mom sees her 12 and 15 yr olds fine, just not the 18 yr old", "patient-age"],
    [
      "aunt has guardianship papers now. how do i turn on her ability to view the niece online",
      "portal-access",
    ],
  ]);
  test("the one not seen is the one missing, not a cause ruled out; without seeing, 'but not' still rules out", () => {
    expect(words("dad can see his 12yo fine but not his 18yo")).toContain("18");
    expect(words("parents share custody but not email")).toContain("email/0");
  });
  test("a younger child's age rules the age check out only when no adult is among them", () => {
    const age = (q: string) => words(q).filter((w) => w === "age" || w.startsWith("age/"));
    expect(age("mom sees her 12yo fine, not the 18yo")).toEqual([]);
    expect(age("mom cant see her 12yo")).not.toEqual([]);
  });
});

describe("a restriction is not a contrast; one of the parents is not one of the children (held-out-14 and -15)", () => {
  leadsWith([["portal throws a server error but only for one of the two parents", "start-end-dates"]]);
  test("'but only for' keeps the server error at full weight, and no child is read as missing", () => {
    expect(words("portal throws a server error but only for one of the two parents")).toEqual([
      ...["portal", "throws", "a", "server", "error", "only", "for", "one", "of", "the", "two", "parent"],
    ]);
  });
  test("away at college is an adult among children: the younger ones' ages do not rule the age check out", () => {
    const q =
      "mom sees her 12yo and 15yo but not the oldest who just left for college. oldest is still active w/ us";
    expect(words(q).filter((w) => w.startsWith("age"))).toEqual([]);
    expect(first(q)).toBe("patient-age");
  });
});

describe("in-domain stories no longer declined for a word they share with another topic (held-out-19)", () => {
  test.each([
    // "legally" states a fact of a portal complaint; a child is missing.
    "our oldest patient in that family had her big birthday, she's legally an adult now. mom can't see her anymore but sees the little brother fine",
    // Who picks the children up says why someone must be kept out, not a custody schedule.
    "grandpa is on the chart just for pickups. how do I make sure he can NOT look at anything on the website",
    // An error after typing the password is the article's server error.
    "a dad keeps getting an error page right after he types his password, his email is right and hes only in there once",
    // Children disappearing from parents' accounts is a missing child, whatever system is named.
    "does our outside billing company's link into OP have anything to do with kids disappearing from parent accounts",
  ])("%s → answered, not declined", (q) => {
    expect(outcome(q)).not.toBe("refuse");
  });
  test("the topics still decline what is theirs", () => {
    expect(cues("can the dad sue us if the stepmom reads the kids' records").outside).toBe("legal");
    expect(cues("mom picks the kids up on fridays, where do i note that").outside).toBe("custody-schedule");
    expect(cues("mom forgot her portal password").outside).toBe("credential");
  });
  test("a fix that breaks again is a change that does not stick; reaching the vendor asks for Support", () => {
    expect(words("we fix the contact, it works for a day, then breaks again")).toContain("back");
    const q = "mom is furious and I want to get the vendor involved today. how do I reach them";
    expect(cues(q).number).toBe(true);
    expect(answerOffline(knowledge, q).answer).toContain(SUPPORT_PHONE);
  });
});

test("a legal question that names a value is still legal; a legal fact beside a setting asked is the setting's", () => {
  expect(
    cues(
      "dad wants to know the legal difference between joint and sole custody for his court date, what do I tell him",
    ).outside,
  ).toBe("legal");
  expect(first("legally she has sole custody, what authority for dad")).toBe("portal-authority");
  expect(
    outcome("mom has a court date next week about custody, dad still cant see the kids on the portal"),
  ).toBe("answer");
});

describe("scope topics that took in-domain questions (the labelled questions T5 to T7)", () => {
  test.each([
    [
      "court order says dad has no rights to the kids. how do I shut off his portal access in OP",
      "portal access in OP is a parent's",
    ],
    [
      "grandpa who only does pickups somehow can see the kids' whole records online. we only wanted him for pickup. how do I take that away",
      "taking access away is a block request",
    ],
    [
      "split the shared email so each parent has their own now. do I call them or just wait?",
      "'email so each parent' is not an email to every parent",
    ],
    [
      "We use a registration app that pushes demographics into OP. Could that be what's causing the portal problems for parents?",
      "an app that pushes into OP is an interface",
    ],
    [
      "does the school forms thing our IT hooked up to OP touch the parent records? asking because of the portal complaints",
      "a thing hooked up to OP is an interface",
    ],
    [
      "do they need the parent's password when we open the case?",
      "a password in a case with Support is the escalation's",
    ],
  ])("%s → not declined (%s)", (q) => {
    expect(cues(q).outside).toBeUndefined();
    expect(outcome(q)).not.toBe("refuse");
  });
  test("what those topics are for is still declined", () => {
    expect(cues("how do I get one notice out by email to every family before the holiday").outside).toBe(
      "practice-email",
    );
    expect(cues("give the new biller access to OP").outside).toBe("staff-account");
    expect(cues("can we add a bill pay button to the portal app").outside).toBe("portal-feature");
    expect(cues("mom forgot her portal password, can you reset it").outside).toBe("credential");
  });
});

describe("everything checked and a cause described, a phone call that happened, the date boxes (held-out-18 to -20)", () => {
  test.each([
    "we went thru every step in the article and still no luck, could our interface be doing it?",
    "we checked everything on the chart and family screen and it all looks right. we also use a 3rd party app that syncs our patient demographics overnight. could that be overwriting stuff?",
  ])("%s → the interface, then Support with its number", (q) => {
    const answer = answerOffline(knowledge, q);
    expect(answer.entries.slice(0, 2)).toEqual(["interfaces", "escalation"]);
    expect(answer.answer).toContain(SUPPORT_PHONE);
  });
  test("a phone call with a parent is something that happened, not a number asked for", () => {
    const q =
      "someone set dads custody thing to None after a phone call with mom. theres no court order at all. dad is now locked out online";
    expect(cues(q).number).toBe(false);
    expect(first(q)).toBe("portal-authority");
    expect(cues("whats the phone number to call office practicum").number).toBe(true);
  });
  test("the date boxes looked at and empty rule the dates out: the Authority explains the server error", () => {
    expect(
      first(
        "long-time OP practice, a parent gets an ugly server error page right after signing in. I checked the date boxes on her line, nothing filled in",
      ),
    ).toBe("portal-authority");
  });
});
