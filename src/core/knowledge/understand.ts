import { type OutsideTopic, outsideTopic } from "./scope.js";
import type { SpellingCorrector } from "./spelling.js";
import { wordGroup } from "./terms.js";

/**
 * Reads a question before it is searched or classified: spelling, ages and years, negation and
 * clauses already ruled out, and a few cues that change the kind of answer (a request for the
 * support number, to block someone, about the staff member's own OP login). Pure and bounded: at
 * most MAX_WORDS words are looked at, whatever the caller passes.
 */

export interface Word {
  /** Lower case, spelling corrected; rewritten for ages and years ("19yo" → "18"). */
  text: string;
  /** 1 normally; lower in a clause the question says is fine, 0 for a negated word. */
  weight: number;
  /** Said to be fine or negated ("not a duplicate", "the end date is fine"): that check is ruled out. */
  ruledOut?: boolean;
  /** A word of a symptom's phrase read from the story (SYMPTOMS), not typed. */
  read?: boolean;
}

export interface Cues {
  /** Asks for Support's number or who to call. */
  number: boolean;
  /** Asks how to keep someone out (set an End Date), not why someone is kept out. */
  block: boolean;
  /**
   * What the question is about when that is outside the domain though it shares its words (a
   * staff member's OP account, a password, a patient's charts, a legal judgment: scope.ts).
   */
  outside: OutsideTopic | undefined;
  /** Mentions the portal or a parent who cannot get in: the question is about this domain. */
  domain: boolean;
  /**
   * The portal named, or someone seeing or getting in ("so the parent can see them online"); not
   * records or a chart alone ("releasing records to a non-custodial parent" is a policy question).
   */
  portalAccess: boolean;
  /** Says the checks were all tried and nothing worked: time for Support (and its number). */
  exhausted: boolean;
  /** A parent, child or the portal, and something wrong: cannot see, missing, zero, an error. */
  complaint: boolean;
  /** Names OP's Support itself ("OP", "office practicum", "support", "help desk"), not another office. */
  support: boolean;
  /** Says what Support asked for ("support wants the parent's ok", "OP asked for her emails"): the escalation. */
  supportAsks: boolean;
  /** Asks what to do or expect once a fix is made ("does he need to log in again", "did the merge work"). */
  afterChange: boolean;
  /** Asks what to set or how to do something ("what do I set for her"): not a vague complaint. */
  howTo: boolean;
  /** A column asked for by name in a how-to ("what authority do I set"): a keyword of its check. */
  asked: string | undefined;
  /** Names other office work (billing, vaccines, orders, equipment: terms.ts), which the bot does not cover. */
  office: boolean;
  /** Says something is wrong (cannot, missing, zero, an error), of anyone. */
  trouble: boolean;
  /**
   * Says something is wrong, or names problems as a topic ("has that caused portal problems"): not
   * office work that merely happens on the portal. Wider than trouble, which makes a complaint.
   */
  problem: boolean;
  /**
   * Asks whether something named is the cause ("could our interfaces be causing this", "could our
   * ehr integration be messing w/ contacts").
   */
  suspect: boolean;
  /** Asks for the whole check ("what's the checklist", "where do I start", "what should I check"). */
  wholeCheck: boolean;
  /** Says the cause is not known ("no clue why", "nothing obvious"): the story names no cause. */
  causeUnknown: boolean;
  /** The trouble stayed after a fix made (not asking about timing): the fix did not work. */
  fixFailed: boolean;
  /** Reports a change made ("merged them", "after I set…") or the email field's look after one (grayed out). */
  changeSaid: boolean;
  /** Mentions an error (a server error has two known causes: not a story without one). */
  error: boolean;
  /**
   * A child (or some of a family's children) said to be missing, and the story gives no other
   * symptom for it (an adult's age, the parent entered twice): "mom sees one kid but not the other
   * two", "parent login works but child missing".
   */
  childMissing: boolean;
  /**
   * With childMissing: the family's other children are said to show ("sees her daughter but not her
   * son", "the older two are there"). Something of that one child's, not of the parent's access.
   */
  othersShow: boolean;
  /** Asks what else it could be or what to do next ("what else", "what next", "anything else it could be"). */
  whatElse: boolean;
  /** Says every check was looked at and is fine ("went down the whole list", "checked every setting, all look right"). */
  allChecked: boolean;
}

export interface Understood {
  words: Word[];
  cues: Cues;
}

/** More words than any question needs; the rest of a long paste is not read. */
export const MAX_WORDS = 120;

/** A clause that says something was looked at and is fine, on its own or about the clause before. */
const FINE =
  /\b(?:that'?s|thats|this is|is|are|looks?|seems?|was|were|all|so)\s+(?:fine|ok|okay|correct|right|good|normal|active|set correctly|as it should be)\b|\bnot an? (?:issue|problem)\b|\b(?:that'?s|thats|it'?s|its|that is|it is) not (?:it|that|the (?:issue|problem|cause))\b|\b(?:no (?:end|stop) date|nothing (?:in|on|under) (?:the )?(?:end|stop) dates?|(?:end|stop|start) dates? (?:[\w']+ ){0,4}?(?:is|are|was|were|looks?|seems?)\s+(?:blank|empty|clear|cleared|not set))\b|\bset (?:right|correctly|properly|fine)\b|\b(?:authority|custody)(?: column| dropdown| field| setting)? (?:(?:is|was|says|set to|shows|already|still|set|to|as|at) )*joint\b|\b(?:authority|custody)(?: column| dropdown| field| setting)? (?:(?:is|was|says|set to|shows|set|to|as|at) )*(?:already|still) (?:(?:is|set to|set|says|shows) )*exclusive\b|\bstatus(?: is| says| shows| set to| =|:)? active\b|\b(?:i|we) (?:already |have |'ve )?(?:checked|verified|searched|looked (?:at|in|through))\s+(?!and\b|but\b|if\b|whether\b)\w+|\b(?:checked|verified|looked)\b.{0,20}\b(?:nothing there|nothing in it|fine|ok|okay|empty|blank|clear)\b|^[\w' ]{2,30} (?:checked|verified)$|^(?:already )?(?:checked|verified|double checked)\s+(?!and\b|but\b|if\b|whether\b)\w+|\bno (?:dupes?|duplicates?|duplicate contacts?|second contacts?|(?:start |end |stop )?dates?|interfaces?)\b/;
const ONLY_FINE =
  /^(?:(?:and|so|but)\s+)?(?:(?:they|both|the two|those|these) (?:are|were|look|looked) (?:all )?(?:different|separate|unique|not the same)|(?:that'?s|thats|which is|it'?s|its|this is|all)?\s*(?:fine|ok|okay|correct|right|good|normal)|(?:(?:is|was|are|were) )?(?:set|looks?|seems?) (?:right|correct(?:ly)?|properly|fine|ok|okay|good)|(?:that'?s|thats|it'?s|its|that is|it is) not (?:it|that|the (?:issue|problem|cause))|nothing (?:there|in it|in there))$/;
/**
 * The Portal column granting access ("portal column says Full"): fine, when the question also says
 * the Authority closes it ("… but authority is None"); on its own it may be the wrong value for the
 * child's age.
 */
const PORTAL_GRANTS =
  /\bportal(?: column| dropdown| field| setting| access)? (?:(?:is|was|says|set to|shows|already|still|set|to|as|at) )+(?:full|minor)\b/;
const AUTHORITY_CLOSES = /\bauthority banned\b|\bblank authority\b/;

/**
 * Before a "fine" word, these make it a question or a task ("check whether she is active", "which
 * option is right", "where do I confirm the child is active").
 */
const ASKS_WHETHER =
  /\b(?:whether|if|which|what|how|where|or not|confirm|verify|make sure|ensure|double[- ]check|check that)\b/;

/** A clause that says something was looked at ("checked the end date column for this dad"). */
const LOOKED = /\b(?:checked|verified|looked (?:at|in|through))\b/;
/**
 * A clause that reports what the look found ("it has a date in it from last month"): the check
 * looked at is not ruled out, whatever the clause before says.
 */
const FOUND =
  /^(?:and |but |so )?(?:it|there|that|which|the \w+(?: \w+)?)(?:'s| is| was| has| had| shows| showed| says| said| does have)\b(?! (?:fine|ok|okay|empty|blank|clear|cleared|nothing|no\b|none\b|correct|right|good|normal|not\b))/;
/** Whether clause i of the question ends in a question mark ("…, normal?" asks, it does not report). */
function endsInQuestion(text: string, clauses: readonly string[], i: number): boolean {
  let at = 0;
  for (let j = 0; j <= i; j++) {
    at = text.indexOf(clauses[j] ?? "", at) + (clauses[j] ?? "").length;
  }
  return /^[.;!,]*\?/.test(text.slice(at));
}

/**
 * "…, what else could it be": the clause before was looked at and is not it ("what else do they
 * need" asks for more of the same, it rules nothing out).
 */
const WHAT_ELSE =
  /^(?:(?:and|so|but|then)\s+)?(?:what else|what(?:'?s| is) left)\b(?! (?:do|does|would|will|should|could|might) (?:they|he|she|op|support|you|i|we|the parents?) (?:need|want|ask|require)\b)/;
/**
 * Asking for another cause or the next step ("what else could it be", "what next", "anything else
 * it could be", "what am I missing"), not for more of the same ("what else do they need").
 */
const WHAT_NEXT =
  /\bwhat (?:else|next)\b(?! (?:do|does|would|will|should|could|might) (?:they|he|she|op|support|you|i|we|the parents?) (?:need|want|ask|require)\b)|\banything else (?:it |that )?(?:could|can|might|would|should|to)\b|\banything else\b[\w' ]{0,30}? (?:i|we) (?:should|could|can|need to|ought to|have to) (?:check|look|try|verify)\b|\bwhat (?:am i|are we|else am i|else are we) missing\b|\bwhat (?:could|can|might) it be\b|\b(?:any )?other (?:ideas|causes|reasons|things to (?:check|look at|try))\b|\bwhere (?:else|next)\b|\bnext (?:step|thing|check)\b|\bwhat now\b|\bnow what\b|\bthen what\b|\bwhat(?:'?s| is) left\b/;
/**
 * Every check said to be done and fine, as a whole ("went down the whole list", "checked every
 * setting on the list and they all look right", "everything in the article looks right").
 */
const ALL_CHECKED =
  /\b(?:went|gone|go|going|been|ran|run) (?:down|through|over|thru) (?:the |your |this |that |their |every )?(?:whole |entire |full |complete )?(?:list|article|checklist|check ?list|checks|steps)\b|\b(?:checked|tried|did|done|verified|looked at|went through|gone through|covered) (?:every|each|all)(?: (?:of )?(?:the|your|those|these|single|one))?(?: \w+)? (?:settings?|checks?|steps?|things?|items?|boxes|columns?|fields?|options)\b|\b(?:all|every|each) (?:of )?(?:the |those |these )?(?:\w+ )?(?:checks?|settings?|steps?|columns?|fields?|items?)(?: on the list| in the article)? (?:look|looks|are|were|seem|seems|came back|check out|checked out) (?:fine|ok|okay|right|good|correct|normal|clean)\b|\b(?:they|those|these) all (?:look|looked|seem|seemed|are|were|check) (?:fine|ok|okay|right|good|correct|normal|out)\b|\beverything (?:in the article|on the list|on the checklist|in op) (?:looks|seems|is|was|checks out)\b/;
/** Words after which the rest of the question matters more than what came before. */
const CONTRAST = /\b(?:but|though|tho|however|although|except)\b/;

const NUMBER_ASK =
  /\b(?:phone|number|#|hotline|help ?(?:desk|line)|support line|toll[- ]free|1-?800|800|(?:call|calling|phone|phoning|contact|contacting|reach|reaching|ring|ringing|email|escalate to|get (?:a)?hold of|talk to|speak (?:to|with)) (?:op\b|office practicum|support|someone|somebody|a (?:person|human|tech)|a real person|their support|tech support)|who (?:do|should|can|could|would) (?:i|we) (?:call|contact|phone|ring|ask|escalate to|reach)|who (?:handles|can help|could help|do i talk to|do we talk to))\b|\bphone #/;
/** A check's name as staff write it in a list ("email", "dups", "end date", "interfaces"). */
const CHECK_NAME = `(?:emails?|email address(?:es)?|dup(?:e|licate)?s?|merges?|status(?:es)?|ages?|dobs?|birth ?dates?|portal(?: access| column| settings?)?|access(?: level)?|authority|custody|(?:start |end |start and end )?dates?|contacts?|interfaces?)`;
/** A check's value as staff note it in a list of what they looked at ("authority joint", "kid active"). */
const FOUND_VALUE =
  "(?:active|joint|full|minor|exclusive|blank|empty|none|fine|ok|okay|good|correct|clear|clean)";
/** A check's name alone in its clause, or with the value found, as an item of a list ("dupes", "and end date", "the status"). */
const LIST_ITEM = new RegExp(
  `^(?:(?:and|or|&|including|incl|plus|also|even) )?(?:(?:the|her|his|their|both|all|our|no) )?(?:${CHECK_NAME}|(?:kid|child|pt|patient|${CHECK_NAME}) ${FOUND_VALUE}|${FOUND_VALUE} ${CHECK_NAME}|under 18)$`,
);
/** A check named in a clause ("checked email", "dups", "and our interfaces"). */
const CHECK_NAMED = new RegExp(String.raw`\b${CHECK_NAME}\b`);
/** Looked at, as a list's first clause says it ("checked email, dupes, …"). */
const CHECKED_VERB =
  /\b(?:checked|verified|looked at|went (?:through|over)|gone (?:through|over)|confirmed|reviewed|double[- ]?checked)\b/;
const CONTRAST_START = /^(?:but|though|tho|although|however)\b/;
/** Someone on the phone with staff ("I have a dad on the phone who…"): a call under way, not a number asked for. */
const ON_THE_PHONE =
  /\b(?:on|over) the (?:phone|line)\b|\b(?:a|the|one) (?:phone )?call (?:with|from|to) (?:mom|dad|the \w+|her|him|them|a parent|the parent)\b/g;
/**
 * Asking whom or where to call, without the word number ("call who?", "where can I call for help",
 * "i need a human at OP").
 */
const CALL_ASK =
  /\bcall (?:who|whom)\b|\b(?:the|our) (?:software )?vendor\b.{0,60}\bhow (?:do|can|should|would|could) (?:i|we) (?:reach|contact|call|get (?:a )?hold of) (?:them|it)\b|\bhow (?:do|can|should|would|could) (?:i|we) (?:reach|contact|call|get (?:a )?hold of) (?:the|our) (?:software )?vendor\b|\bwho (?:to|should i|should we|do i|do we|can i|can we|would i) (?:call|contact|ring|phone|escalate to|reach out to)\b|\b(?:where|how) (?:can|do|should|would|could) (?:i|we) (?:call|phone|ring)\b|\b(?:call|phone|ring) (?:for|to get) (?:more |further |extra |some )?help\b|\bescalat\w* (?:how|where|to who|to whom)\b|\bdigits\b|\b(?:what|which) line\b|\bget (?:op|office practicum|support|them|someone|somebody) on the (?:phone|line)\b|\b(?:what|which) (?:number|#|phone(?: number)?) (?:do|should|can|would|could) (?:i|we) (?:call|dial|ring|use)\b|\b(?:someone|somebody|anyone|anybody) (?:i|we) (?:can|could|should) (?:call|phone|ring|talk to|speak (?:to|with))\b|\b(?:need|want|get|talk to|speak (?:to|with)|reach) (?:a |an |to )?(?:real )?(?:human|person|live person|rep|representative)\b(?!['’]\w)(?: (?:at|from|with|in) (?:op|office practicum|support))?/;
/**
 * Asking to escalate or whom to hand the gathered facts to ("time to escalate? how", "who do I give
 * this to"): Support's, and its number.
 */
const ESCALATE_ASK =
  /\b(?:gathered|collected|got|have|put together)\b(?: [\w']+){0,2}? (?:info\w*|details|everything|the list)\b.{0,60}\b(?:now what|what now|then what|what next|next step|who (?:do|should) (?:i|we))\b|\bwhat (?:should|do|does|would|will) (?:i|we) (?:send|give|tell|have ready|need to have|need to give|gather|collect|prepare|bring)\b(?: [\w']+){0,3}? (?:op|support|office practicum|the help ?desk)\b|\bwhen (?:i|we) call (?:op|support|office practicum|them)\b|\b(?:time|ready|ok|okay|when|how) to escalate\b|\b(?:should|do|can|shall|must) (?:i|we) (?:just )?escalate\b|\bescalat\w*[?.!,]*\s+(?:how|where|to who|to whom|who)\b|\bhow (?:do|can|should) (?:i|we) (?:escalate|open a (?:case|ticket)|submit a (?:case|ticket)|put in a (?:case|ticket))\b|\bwho (?:do|should|can|would) (?:i|we) (?:give|send|pass|hand|forward|take|bring|submit|report) (?:this|it|that|these|them|all (?:this|that|of this|of it)|the info\w*|everything)(?: (?:info\w*|stuff|to))?\b|\bwhere (?:do|should|can) (?:i|we) (?:send|give|submit|take|report|bring) (?:this|it|that|these|all (?:this|that)|the info\w*|everything)\b|\bwho (?:gets|takes|needs|wants) (?:this|these|all (?:this|that)|the info\w*)\b|\b(?:call|put|phone) in (?:a |the )?(?:ticket|case)\b|\bwhat (?:will|would|do|does) (?:they|support|op|office practicum) (?:ask|need|want)\b/;
const SUPPORT_WORD =
  /\b(?:support|op|office practicum|help ?desk|helpdesk|help ?line|someone|somebody|who|line|person|human|tech|800)\b/;
const SUPPORT_ASKS =
  /\b(?:can|could|will|would) (?:op|office practicum|support|op support) (?:test|try|look at|check|reset|log in as|sign in as)\b|\b(?:support|op support|op|office practicum|the help ?desk|their tech)(?: (?:just|also|now|already))? (?:asked|asks|is asking|was asking|wants|wanted|needs|needed|requested|requires|required|need|want|require) (?:for |me |us |to )?/;
const SUPPORT_NAMED =
  /\b(?:op|office practicum|support|help ?desk|helpdesk|help ?line|escalat\w*|(?:the|our) (?:software )?vendor)\b/;
const BLOCK =
  /\b(?:block|(?:want|wants|need|needs|get|have|has)\s+(?:[\w'-]+\s+){0,3}blocked|lock (?:[\w'-]+ ){1,3}out|keep (?:[\w'-]+ ){0,3}(?:out|away)|stop (?:[\w'-]+ ){0,3}(?:from|seeing|accessing|logging)|cut (?:him|her|them|[a-z]+'s|the (?:ex|dad|mom|nanny|sitter|babysitter|father|mother)|(?:her|his|their) (?:access|portal|login))(?: [\w'-]+)? off|cut off (?:(?:her|his|their|the) )?(?:[a-z]+'s )?(?:access|portal|login)\b(?! (?:at|when|after|once))|revoke|remove (?:[\w'-]+ ){0,2}access|take (?:that |this |it |his |her |their |the )?(?:access )?away|should(?:n'?t| not| no longer| never)(?: be able to)? (?:see|get|log|access|have (?:access|it|that|this|portal))|(?:'s|'re|is|are|was|were) (?:not|no longer|never) (?:supposed|allowed|meant|permitted) to (?:have|see|get|access|be|log|view)|shut (?:off|down) (?:her|his|their|the) (?:portal|access)|turn (?:off|down) (?:the |her |his |their )?(?:portal|access)\b(?: for)?|turn (?:her|his|their|the) (?:portal|access) off|shut (?:[\w'-]+ ){1,2}off\b|disable (?:her|his|their|the) (?:portal|access|login)|make sure (?:she|he|they) (?:can'?t|cannot|can not)|(?:does not|do not|did not|doesn'?t|don'?t) want (?:[\w'-]+ ){1,3}?(?:seeing|to see|viewing|to view|accessing|to access|having access|to have access|on (?:the|her|his|their) portal)|(?:want|wants|wanted|need|needs) (?:(?:her|his|their|the|my) )?(?:him|her|them|[a-z]+'s|(?:the )?(?:dad|mom|father|mother|ex|stepdad|stepmom|grandpa|grandma|nanny|sitter|babysitter|[a-z]+)) (?:gone|off|removed|taken off|kicked off|dropped)|(?:get|take) (?:him|her|them) off (?:the |her |his |their )?(?:portal|contacts?|chart|account))\b/;
const EXHAUSTED =
  /\b(?:nothing (?:has )?changed|nothing(?! else)(?: [\w']+){0,4}? (?:has )?(?:worked|helped|fixed (?:it|this|that|the \w+)|did anything|did it)|none of (?:this|that|it|these|those|the(?: \w+){1,2}) (?:has |have )?(?:worked|helped|fixed it|fixed the \w+|did anything|did it)|(?:tried|done|did|gone through|went through|finished|followed|checked) (?:all|every|each)(?: \w+){0,2} (?:checks?|steps?|things?|fixes)|(?:tried|done|did|checked|went through|gone through) (?:everything|it all|all of (?:it|them|this|that|those|these|the above)|all (?:this|that|those|these|the above))|(?:we are|we're|i am|i'm|still) stuck|out of ideas|still (?:broken|not working|nothing|the same|cannot|can not|does not|doesn't|not|no)\b.{0,40}\bafter (?:all|everything|that|those|these|the (?:steps|checks|fixes)))\b/;
/** Who the domain is about: a parent or family member, a child, a contact. */
const PERSON =
  /\b(?:mom|mum|mother|dad|father|parents?|mrs?|ms|grand\w*|guardians?|step\w*|wife|husband|ex|family|families|nanny|sitter|babysitter|caregiver|kids?|child|children|son|daughter|baby|twins|siblings?|brother|sister|aunt|uncle|niece|nephew|cousin|relative|foster|custodian|contacts?)\b/;
/** What goes wrong for them on the portal: seeing, getting in, an error, something gone. */
const ACCESS =
  /\b(?:nothing|zero|see|sees|seeing|saw|view|access|log|logs|logged|login|sign(?:s|ed|ing)? ?(?:in|on|into)|show|shows|showing|shown|get in|gets in|wants in|open|records|chart|gone|missing|disappear\w*|vanish\w*|empty|listed|error|locked|accounts?|visible|online|entries|twice)\b/;
/** Someone seeing children on the portal ("sees her 12yo fine", "can view the older two"). */
const SEEING = /\b(?:see|sees|seeing|saw|can see|view|views|viewing|shows?|showing|shown)\b/;
/** Something wrong, said of a parent, a child or the portal. */
const TROUBLE =
  /\b(?:cannot|can not|not|no|zero|none|neither|nobody|nothing|missing|gone|disappeared|vanished|blank|empty|error|locked|lost|stopped|broken|wrong|only)\b/;
/** Something named asked about as the cause ("could our interfaces be causing this"). */
const SUSPECT =
  /\b(?:could|can|might|would|is|does|did)\b[^.?!]{0,40}?\b(?:be )?(?:causing|cause|the cause|the (?:problem|issue|culprit|reason)|messing|interfering|interfere|blocking|behind|doing (?:it|this|that)|overwrit\w*|part of (?:this|it|the problem)|responsible|to blame)\b/;
/** Problems named as a topic ("visibility problems", "portal issues"). */
const PROBLEM = /\b(?:problems?|issues?|trouble)\b/;
/** "19yo", "19 y/o", "19 years old", "aged 19", "is 19", "who's 19", "turned 19". */
const AGE =
  /\b(\d{1,2})\s*(?:yo|y\/o|(?:yrs?|years?)(?:[\s-]+olds?)?|year-olds?)\b|\b(?:aged?|is|are|was|were|turned|turns|who'?s|(?:he|she)'?s|they'?re|now|just|be|becomes|became)\s+(\d{1,2})\b(?!\s*(?:kids|children|contacts|records|accounts|siblings|days|weeks|months|of|am|pm|:))/g;
/** A birth date: "DOB 2006", "born in 2006", "DOB is 08/2006", "birthday 3/4/2007". */
const BIRTH =
  /\b(?:dob|d\.o\.b\.?|born|birth ?date|date of birth|birthday|bday)\b[^.;,!?]{0,20}?\b(?:\d{1,2}[/.-])?(?:\d{1,2}[/.-])?((?:19|20)\d{2})\b/g;
/** What to do or expect once a fix is made (the after-changes entry's question). */
const AFTER_CHANGE =
  /\b(?:when|how long|how soon|why)\b.{0,40}\b(?:gr[ae]y\w*|editable)\b|\b(?:verify|confirm|check|test|make sure|know|tell|see) (?:that |if |whether )?(?:the |my |our |your |it |this |that )?(?:fix|change|merge|update|correction)\w* (?:worked|works|took|is (?:working|done|in))?\b(?: [\w']+){0,3}? (?:without|w\/o|w\/out)\b|\b(?:after|once|now that) (?:the |my |our |your |we |i |you |they )?(?:fix|fixed|fixing|chang\w*|merg\w*|correct\w*|updat\w*|edit\w*|set|setting|add\w*|remov\w*|clear\w*)\b.*\b(?:what|how|does|do|should|need|have to|tell|call|know|confirm|verify|again|anything else)\b|\b(?:what|how|does|do|should|need)\b.*\b(?:after|once|now that) (?:the |my |our |your |we |i |you |they )?(?:fix|fixed|fixing|chang\w*|merg\w*|correct\w*|updat\w*|edit\w*)\b|\bhow (?:do|can|will|would) (?:i|we) (?:know|tell|check|see|confirm|verify) (?:if |whether |that )?(?:the |my |our |it |this |that )?(?:actually |really |truly )?(?:fix|change|merge|update|edit|correction|it worked|worked|took)\w*\b|\b(?:have|has|need|needs|must|should) to (?:log|sign) (?:back )?in\b|\b(?:log|sign)(?:ged)? (?:back in|out and (?:back )?in)\b|\b(?:have|get|ask|tell) (?:him|her|them|the parent|mom|dad) (?:to )?(?:log|sign) (?:back )?in\b|\bdid (?:the|my|our|it|that|this) (?:\w+ )?(?:fail|work|take|stick|go through|save|saved|get saved)\b|\b(?:verify|confirm|check|make sure|test) (?:that |if |whether )?(?:the |my |our )?(?:fix|change|merge|update)\w* (?:worked|work|took|went through)\b|\b(?:fix\w*|chang\w*|merg\w*|updat\w*|correct\w*)[ ,]+(?:[\w']+[ ,]+){0,4}now what\b|\b(?:can |could )?still (?:edit|change|type in|update) (?:the |her |his )?email\b|\bstill (?:lets?|allows?) (?:me|us) (?:to )?(?:type|edit|change)\b/;
/**
 * A fix reported as done: a change verb in the past at the start of a clause or after "I"/"we"/
 * "just"/"already" ("ok i merged the two contacts", "cleared the end date", "just set it to Joint").
 */
const DONE_VERB =
  /(?:just |already |finally )?(?:merged|combined|changed|set|cleared|fixed|updated|corrected|removed|deleted|added|switched|flipped|reactivated|activated|edited|took (?:off|out)|took (?:the |his |her |their )?[\w' ]{1,25}? (?:off|out)|made the (?:change|fix)|put (?:in|back)|put (?:the |his |her |their )?[\w' ]{1,25}? back)\b/;
const DONE_CHANGE = new RegExp(
  String.raw`(?:^|[.;!?,\n]\s*|\b(?:i|we|i've|we've|i have|we have|just|already|finally|ok|okay|so|and|then)\s+)(${DONE_VERB.source})`,
  "g",
);
/** "after changing…", "once I fix…": a change the question asks about what follows. */
const AFTER_A_CHANGE =
  /\b(?:after|once|now that) (?:i |we |you )?(?:just )?(?:fix|fixed|fixing|chang\w*|merg\w*|updat\w*|clear\w*|set|setting|edit\w*|correct\w*|activat\w*|reactivat\w*|remov\w*|switch\w*)\b/;
/** Before a change verb, these make it a plan or a condition, not a fix made ("if I set", "should I merge"). */
const NOT_DONE = /\b(?:if|when|should|can|could|do|how|would|will|whether|to|before)\s+(?:i|we)?\s*$/;

/** A fix reported as done (DONE_CHANGE), not one only planned ("if I set her end date…"). */
function doneChange(text: string): boolean {
  for (const m of text.matchAll(DONE_CHANGE)) {
    const verbAt = m.index + m[0].length - (m[1] ?? "").length;
    const before = text.slice(Math.max(0, verbAt - 25), verbAt);
    if (!NOT_DONE.test(before) && !STATE.test(before)) return true;
  }
  return false;
}
/** Before a change verb, these make it a state, not a change made ("his portal column is just set to nothing"). */
const STATE = /\b(?:is|was|are|were|been|being)\s+(?:just\s+|already\s+|still\s+|currently\s+)?$/;
/**
 * What to do or expect next, asked after a fix: does the parent need to do anything, is there a
 * delay, should I call the parent, will it just work now.
 */
const NEXT_ASK =
  /\b(?:will|would|does|should|is|can) (?:[\w']+ ){0,5}?(?:by itself|on its own)\b|\b(?:is|was|will|does|should) (?:it|this|that|the (?:fix|change|merge|update))(?: just)? (?:be |happen |update |work |go |take )?(?:automatic\w*|on its own|by itself)\b|\bautomatically\b|\b(?:tell|let|inform|notify|update) (?:support|op|office practicum|the help ?desk)\b(?: know)? (?:what|about|that)\b|\b(?:does|do|will|would|should|must|has|have) (?:he|she|they|mom|dad|the (?:parent|family|mom|dad)|the parents|grandma|grandpa) (?:need to|have to|has to|needs to|gotta|need|do|see|get|notice)\b|\banything (?:(?:else )?(?:i|we|he|she|they) )?(?:(?:need|needs|have|has|should|must|gotta) )?(?:to )?(?:do|tell|say|know)\b|\b(?:on|from) (?:his|her|their|the parent'?s?|the family'?s?) (?:end|side)\b|\bhow long (?:before|until|till|til|does it|will it|do)\b|\b(?:is|was) (?:it|this|that|there) (?:instant|immediate|immediately|a delay|some delay|a lag|real ?time)\b|\b(?:is|was) there (?:a|any|some) (?:wait|waiting|delay|lag)\b|\b(?:should|would|will) it be (?:instant|immediate)\w*\b|\b(?:delay|lag|take effect|takes effect|kick in|kicks in)\b|\b(?:should|do|can|would) (?:i|we) (?:just )?(?:call|tell|contact|let|reach out to|notify|email|text|ring|phone|wait)\b|\breach out\b|\bjust wait\b|\bwill it (?:just )?(?:work|show|update|fix|take|appear|sync)\b|\b(?:what'?s|whats|what is) next\b|\bnext step\b|\bright away\b|\bwhat (?:happens|now|next)\b|\bthen what\b|\banything else\b|\bwhat else (?:do|should|must|can|would) (?:i|we) (?:need to |have to )?do\b|\b(?:does|do|will|should|can) (?:he|she|they|mom|dad|the parent) (?:just )?(?:log|sign) (?:back )?(?:in|on)\b|\b(?:wait time|waiting period|how soon|takes? (?:some )?time|immediately|instantly|refresh)\b|\b(?:do|should|must) (?:i|we) (?:need|have) to (?:call|tell|contact|let|notify|ask|email|text|ring)\b|\b(?:need|needs|have|has) to (?:do|tell|say) (?:[\w']+ ){0,3}?anything\b/;
/**
 * A column asked for by name in a how-to ("what authority do I set", "which end date", "do I switch
 * on portal for her").
 */
const ASKED_COLUMN =
  /\b(?:what|which) (authority|access level|end date|start date|status)\b(?: [\w']+){0,3}? (?:do|should|would|can|to) (?:i |we )?(?:set|put|pick|choose|select|use|give|enter)\b|\bhow (?:should|do|would|can) (?:i |we )?(?:the )?(portal|authority|end date|status)(?: column| access| setting| field)? (?:be )?set\b|\b(?:turn|switch|flip|toggle|enable)(?: on)? (?:the |her |his |their )?(portal)(?: access)?(?: on)? for\b/;

/**
 * Asking how to let someone see the children online ("how do i turn on her ability to view the
 * niece online", "give grandma access to see the kids"): what the Portal column grants.
 */
const ACCESS_GRANTED =
  /\b(?:how (?:do|can|would|should) (?:i|we)|where do (?:i|we)|can (?:i|we)|need to|want to|help me)\b(?: [\w']+){0,3}? (?:turn on|switch on|enable|give|grant|set up|allow)\b(?: [\w']+){0,3}? (?:ability|access|permission|rights?)s? to (?:view|see|get into|log into|look at|use)\b/;

/**
 * Asking what else to do after a change, or whether to wait or log out and in ("do i need to do
 * something else after", "do I have to wait or should she log out"). Asked, not told: a feed that
 * "syncs" is not a question about waiting.
 */
const DO_AFTER =
  /\b(?:need|needs|have|has|supposed|got) to do (?:something|anything)(?: else)?(?: (?:after|afterwards|afterward|now|next)\b|\s*(?:\?|$))|\bwhat (?:should|do|must|else should|else do) (?:i|we) do (?:next|now|after(?:wards?)?)\b|\b(?:have|has|need|needs|got) to wait\b|\bshould (?:i|we|he|she|they|mom|dad) (?:just )?(?:wait|(?:log|sign) (?:out|off|back in|in again))\b/;

/** The parent has stayed signed in since a fix ("he's been logged in all day"): the change waits for the next login. */
const STAYED_LOGGED_IN =
  /\b(?:been|stayed|still|was|is|remained) (?:logged|signed) (?:in|on)\b|\b(?:has not|hasn'?t|did not|didn'?t|never) (?:logged|signed) (?:out|off|back in)\b/;

/** Asking for the whole check, not one setting: "what's the checklist", "where do I start", "what do I check". */
const WHOLE_CHECK =
  /\bcheck ?lists?\b|\btroubleshoot\w*\b|\bwhere (?:do|should|can) (?:i|we) (?:start|begin)\b|\bwhat (?:do|should|can) (?:i|we) (?:check|look at|look for|go through)(?: first)?\b|\bwhat (?:are )?(?:the )?(?:things|steps) (?:to|i should|we should) (?:check|look at|go through)\b|\bwalk me through\b|\bstep[- ]by[- ]step\b|\b(?:what|which) (?:are )?(?:the )?(?:usual|common|possible|main) (?:causes|reasons|suspects)\b/;
/** The cause said to be unknown: "no clue why", "not sure why", "nothing obvious", "no idea what's wrong". */
const CAUSE_UNKNOWN =
  /\bno (?:clue|idea)\b|\b(?:not sure|unsure|do not know|cannot (?:figure|tell|see)(?: out)?|no way to tell) (?:why|what)\b|\bnothing (?:obvious|looks (?:wrong|off))\b|\bno (?:obvious|clear|apparent) (?:reason|cause)\b|\beverything looks (?:fine|right|ok|okay|normal)\b/;
/** A request for a setting or the steps to do something, not a report that something is wrong. */
const HOW_TO =
  /\bwhere (?:is|are|do (?:i|we) (?:find|see|set|change)|can (?:i|we) (?:find|see|set|change)|would (?:i|we) find)\b(?! (?:the|her|his|their) (?:kids?|child|children|son|daughter|baby)\b)|\b(?:what|which) (?:[\w']+ ){0,3}?(?:do|should|would|can) (?:i|we) (?:set|put|pick|choose|select|use|give)\b|\bwhat (?:setting|option|access level|value)\b|\bhow (?:do|can|should) (?:i|we) (?:set|give|add|grant|change|merge|combine|find|check|update|remove|turn)\b|\bwhat should (?:her|his|their|the) \w+ be\b/;
/**
 * Asking which value is the usual one ("which portal option is the normal one", "what do most
 * parents get"): a how-to question about a setting, answered by the setting's check.
 */
const USUAL_SETTING =
  /\b(?:normal|usual|default|standard|typical|regular|common|most common|customary|go-to)\b(?: [\w']+){0,3}? (?:option|setting|choice|value|level|one|pick|access)\b|\b(?:option|setting|choice|value|level|access)\b(?: [\w']+){0,4}? (?:(?:is|do|does) )?(?:the )?(?:normal|usual|default|standard|typical|regular|most common)\b|\bwhat do (?:most|normal|regular|typical) (?:parents|families|moms|dads|people)\b|\b(?:which|what) (?:[\w']+ ){0,3}?do most (?:parents|families|moms|dads|people)\b/;
/**
 * A value said of a column ("authority says None", "portal dropdown is set to none", "None in the
 * authority column"): the value belongs to that column, not to whichever entry knows the word. Group
 * 1 or 4: the column; group 2 or 3: the value.
 */
const COLUMN_VALUE =
  /\b(authority|custody|portal(?: access)?)(?:'s)?(?: (?:column|dropdown|drop-down|drop down|field|setting|box|option|value|level))?(?: (?:for|on) (?:the )?[a-z]+(?:'s)?(?: (?:line|contact|row))?)?(?: (?:is|says|shows|showing|was|reads|still|already|now|set|set to|set as|listed as|marked|marked as|to|at|=|:|as))* ?['"]?(none|blank|empty)\b|\b['"]?(none|blank|empty)['"]? (?:(?:mean|means|do|does|option|value|setting) )?(?:in|on|for|under|as) (?:the |his |her |their |dad'?s? |mom'?s? )?(authority|custody|portal(?: access)?)\b/g;
/** What a column's value is read as: Authority None is the ban, blank Authority the legacy-portal note. */
const BOUND_VALUE: Record<string, Record<string, string>> = {
  authority: { none: " authority banned ", blank: " blank authority ", empty: " blank authority " },
  portal: { none: " portal column none ", blank: " portal column none ", empty: " portal column none " },
};

/**
 * "Would that stop her from seeing him", "does the status block it": asking whether something is the
 * cause, not asking to keep someone out.
 */
const CAUSE_ASKED =
  /\b(?:would|could|does|did|will|might|can|is) (?:that|this|it|(?:the|an?|her|his|their) \w+(?: \w+)?) (?:stop|block|keep|prevent|lock)\w*\b|\b(?:what|which) (?:would |could |might )?(?:stops?|blocks?|keeps?|prevents?)\b/;
/** A status other than Active said of the patient ("status shows Inactive", "set the status to deceased"). */
const STATUS_VALUE =
  /\b(?:set|marked|changed|made|switched|flipped|went|got set|been set|is|was|shows as|listed as) (?:to |as )?(?:inactive|deceased|transferred|archived|discharged|dismissed)\b|\bstatus\b(?: (?:is|was|shows|showing|says|reads|set|set to|to|as|marked|changed to|listed as|now|still|got|been|went|of|=|:))+ (?!(?:active|fine|ok|okay|correct|right|good|normal|the|a|an|what|which|her|his)\b)[a-z]+/;

/**
 * The column whose value the question states ("status shows Inactive", "portal column is None for
 * the little one", "authority says None"): that column's check leads, as for a column asked for.
 * None when no value or several columns' values are stated.
 */
function valueSaid(text: string): string | undefined {
  // A value a fix keeps losing ("flips her authority to none every morning") is the symptom of an interface.
  if (undoneSaid(text)) return undefined;
  const said = [
    STATUS_VALUE.test(text) ? "status" : undefined,
    /\bportal column none\b/.test(text) ? "portal column" : undefined,
    /\bauthority banned\b|\bblank authority\b/.test(text) ? "authority" : undefined,
  ].filter((column) => column !== undefined);
  return said.length === 1 ? said[0] : undefined;
}

/** The column a how-to asks for by name, as its check's keyword ("portal" is the Portal column). */
function askedColumn(text: string): string | undefined {
  if (ACCESS_GRANTED.test(text)) return "portal column";
  const m = ASKED_COLUMN.exec(text);
  const column = m?.[1] ?? m?.[2] ?? m?.[3];
  return column === "portal" ? "portal column" : column;
}

/** The trouble said to remain ("still getting a server error", "still sees nothing"), not the email field's look. */
const STILL_TROUBLE =
  /\bstill (?:getting|gets|get|got|has|having|sees?|seeing|shows?|showing|cannot|can not|not|no|nothing|does not|did not|an?|the same|receiv\w*|sees nothing|broken|missing|wrong|messed up)\b(?![^.?!]{0,30}\b(?:gr[ae]y\w*|editable|white|black|typ\w*|edit\w*|lets? me|allows?)\b)/;
/** Asking how long a change takes or whether to log in again: the after-changes question. */
const TIMING_ASK =
  /\b(?:instant\w*|immediate\w*|delay|lag|wait|sync\w*|how long|how soon|right away|take effect|kick in|(?:log|sign) (?:back )?in again|(?:log|sign) (?:out|off)|refresh|cache)\b/;
/** A column changed ("changed her authority from blank to joint", "cleared the end date"). */
const COLUMN_FIXED =
  /\b(?:changed|set|switched|fixed|updated|cleared|corrected|flipped|took|removed|put)\b (?:(?:her|his|the|their|dad'?s?|mom'?s?) )?(authority|end date|start date|status|portal column|portal access)\b(?: (?:from|to|off|out|as) (?:the )?[\w']+){0,2}/g;

/** A year the article's legacy-portal note covers, when it is not a birth year. */
const LEGACY_YEAR = /\b20(?:0[6-9]|10)\b/;

/**
 * Interprets one question. `correct` fixes spelling against the knowledge vocabulary; `year` is
 * the current year, to tell an adult from a child by birth year.
 */
export function understand(question: string, spelling: SpellingCorrector, year: number): Understood {
  let text = question
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\be[\s-]mail/g, "email")
    // "went thru all the checks": the word, as staff type it.
    .replace(/\bthru\b/g, "through")
    // "sarah.k@gmail.com", "jsmith@": an address says "email", whatever it is.
    .replace(/[\w.+-]*@[\w.-]*/g, " email ")
    .replace(/\bcan'?t\b|\bcannot\b/g, "cannot")
    // "doesn't" → "does not": the negation is read below. (Tokens "can't"/"cannot" are done above.)
    .replace(/\b(\w+)n'?t\b/g, (m, stem: string) => (CONTRACTED.has(stem) ? `${stem} not` : m))
    // "shes", "theyre": a pronoun and its verb, typed without the apostrophe ("shes" is not "sees").
    // "dosnt", "dosent": "does not", as typed.
    .replace(/\bdo(?:es|s)e?n'?t\b/g, "does not")
    .replace(/\bshes\b/g, "she is")
    .replace(/\btheyre\b/g, "they are");
  // "her account is active", "the login works": the parent's portal account, not the patient's Status.
  text = text.replace(/\b(account|login|portal|email|username) (is|was) active\b/g, "$1 $2 working");
  // "end 06/30/2025", "ends 3/1": a date said after "end" is the End Date; a baby's age in months, a child.
  text = text
    .replace(/\bend(?:s|ed)?(?: on)? (?=\d{1,2}[/.-]\d)/g, "end date ")
    .replace(/\b\d{1,2}[\s-]*(?:months?|mos?|weeks?|wks?|days?)[\s-]*old\b/g, " baby ");
  // "endate", "enddate", "end-date": the End Date.
  text = text.replace(/\bend-?d?ates?\b/g, "end date");
  // "the portal drop down", "authority dropdown", "a drop down called Portal": the column.
  text = text
    .replace(/\b(portal|authority) (?:drop ?-?down|dropdown)(?: menu)?\b/g, "$1 column")
    .replace(
      /\b(?:drop ?-?down|dropdown|column|field|setting)(?: menu)? (?:called|named|labell?ed|that says) (portal|authority)\b/g,
      "$1 column",
    );
  // A word typed in two pieces ("serv er error", "e mail"): joined, the next piece looked ahead at so
  // that every pair of neighbours is tried.
  text = text.replace(/\b([a-z]+) (?=([a-z]+)\b)/g, (pair, left: string, right: string) =>
    spelling.join(left, right) ? left : pair,
  );
  // "identical email", "the exact same address", "matching emails": the same.
  text = text.replace(/\b(?:identical|exact same|matching)\b/g, "same");
  // "split up", "broke up": parents who separated, as the Authority's keyword says it.
  text = text.replace(
    /\b(?:split(?:ting)? up|(?:broke|broken|breaking) up|went (?:their|separate) ways)\b/g,
    "separated",
  );
  // Every reading below sees the words spelled as the knowledge spells them ("authorty set to
  // none" is the Authority column's None, "servererror" a server error), as the search does.
  // Words already respelled are not read again ("parnets" is "parents", not the possessive "parent").
  const respelledWords = new Set<string>();
  text = text
    .replace(/[a-z]+/g, (token) => {
      const word = respelled(token, spelling);
      if (word !== token) respelledWords.add(word);
      return word;
    })
    // A real word that is this domain's typo: "internal sever error".
    .replace(/\bsever (?=error)/g, "server ");
  // Ages and birth years become what they mean; the year itself is not left to be read as a portal year.
  text = text.replace(BIRTH, (_m, y: string) =>
    year - Number(y) >= 18 ? " birthday adult 18 , " : " child , ",
  );
  // "her 12 and 15 yr olds": each number is an age.
  text = text.replace(
    /\b(\d{1,2}) ?(?:,|and|&|or) ?(?=\d{1,2}\s*(?:yo|y\/o|yrs?|years?|year-old)\b)/g,
    "$1 yo and ",
  );
  // Away at college: grown up, whatever the question says of age.
  text = text.replace(
    /\b(?:left for|leaving for|off to|away at|went (?:off )?to|goes to|started|starting|in|at|from) (?:college|university|uni)\b/g,
    " college adult 18 ",
  );
  // A birthday just passed for a child who dropped off: the 18th is the birthday that ends access.
  text = text.replace(
    /\b(?:just|recently) (?:had|celebrated|turned) (?:a |her |his |their )?(?:birthday|bday)\b|\b(?:birthday|bday) (?:was )?(?:last|this|yesterday) ?(?:week|month|weekend)?\b/g,
    " birthday adult 18 ",
  );
  // An adult among the children ("sees his 12yo fine but not his 18yo"): a younger one's age does
  // not rule the age check out.
  const adultAge =
    /\badult 18\b/.test(text) ||
    [...text.matchAll(AGE)].some(([, a, b]) => Number(a ?? b) >= 18 && Number(a ?? b) < 40);
  text = text.replace(AGE, (m, a?: string, b?: string) => {
    const age = Number(a ?? b);
    if (Number.isNaN(age)) return m;
    return age >= 18 && age < 40
      ? " adult 18 "
      : age < 18
        ? // A child's age says who the question is about, and that the age check is not it.
          adultAge
          ? " child , "
          : " child , age is fine , "
        : m;
  });
  text = text.replace(/\b(\d{4})\s*(?:-|to|through|–)\s*(\d{4})\b/g, "$1 $2");
  text = text.replace(COLUMN_VALUE, (m, c1?: string, v1?: string, v2?: string, c2?: string) => {
    const column = (c1 ?? c2 ?? "").startsWith("portal") ? "portal" : "authority";
    const value = v1 ?? v2 ?? "";
    // "the portal is blank" is what the parent sees, not the Portal column's value.
    if (
      column === "portal" &&
      value !== "none" &&
      !/column|dropdown|drop|field|setting|access|box|option|level/.test(m)
    )
      return m;
    return BOUND_VALUE[column]?.[value] ?? m;
  });
  // "in there 2x", "listed x2": twice.
  text = text.replace(/\b(?:2|two) ?x\b|\bx ?2\b/g, " twice ");
  const adult = /\badult 18\b/.test(text);
  if (LEGACY_YEAR.test(text)) text = text.replace(new RegExp(LEGACY_YEAR, "g"), " legacy portal 2006 2010 ");
  // The trouble stayed after a fix, and the question does not ask about timing or logging in again:
  // the fix did not work. Not "what to do after a change", and the column fixed is ruled out ("still
  // a server error after I changed her authority to joint": the End Date).
  const fixFailed =
    STILL_TROUBLE.test(text) &&
    (doneChange(text) || AFTER_A_CHANGE.test(text)) &&
    !TIMING_ASK.test(text) &&
    !STAYED_LOGGED_IN.test(text);
  if (fixFailed) text = text.replace(COLUMN_FIXED, (_m, column: string) => ` , the ${column} is fine , `);
  // A change reported as made ("merged them", "after I set…"), read once for the cues below.
  const changeMade = doneChange(text) || AFTER_A_CHANGE.test(text);

  const portalNamed = /\bportal\b/.test(text);
  const person = PERSON.test(text);
  const cues: Cues = {
    number:
      (NUMBER_ASK.test(text.replace(ON_THE_PHONE, " ")) && SUPPORT_WORD.test(text)) ||
      CALL_ASK.test(text) ||
      ESCALATE_ASK.test(text),
    block: BLOCK.test(text) && !CAUSE_ASKED.test(text),
    outside: undefined,
    asked: askedColumn(text) ?? valueSaid(text),
    domain: portalNamed || (person && ACCESS.test(text)),
    portalAccess: portalNamed || (person && ACCESS.test(text.replace(/\b(?:records|chart)\b/g, " "))),
    exhausted: EXHAUSTED.test(text),
    support: SUPPORT_NAMED.test(text),
    supportAsks: SUPPORT_ASKS.test(text),
    complaint: false,
    // A change reported and what follows it asked: whether to wait, to log out and in, what else to
    // do after ("merged them, still nothing, do I have to wait or should she log out").
    afterChange:
      !fixFailed &&
      (AFTER_CHANGE.test(text) ||
        ((NEXT_ASK.test(text) || STAYED_LOGGED_IN.test(text) || DO_AFTER.test(text)) && changeMade)),
    howTo: HOW_TO.test(text) || USUAL_SETTING.test(text),
    office: (text.match(/[a-z]+/g) ?? []).some((w) => wordGroup(w)),
    trouble: TROUBLE.test(text),
    problem: TROUBLE.test(text) || PROBLEM.test(text),
    suspect: SUSPECT.test(text),
    wholeCheck: WHOLE_CHECK.test(text),
    causeUnknown: CAUSE_UNKNOWN.test(text),
    error: /\berrors?\b/.test(text),
    childMissing: false,
    othersShow: false,
    whatElse: WHAT_NEXT.test(text),
    allChecked: ALL_CHECKED.test(text),
    fixFailed,
    changeSaid: changeMade || /\bgr[ae]y\w*|\beditable\b|\b(?:type|typ\w*|edit\w*) in\b/.test(text),
  };
  cues.outside = outsideTopic({
    text,
    howTo: cues.howTo,
    number: cues.number,
    afterChange: cues.afterChange,
    block: cues.block,
  });
  // Something wrong on the portal, unless it is office work done there ("can't pay her bill").
  cues.complaint = cues.domain && cues.trouble && !cues.office;
  // "different emails", "their own email": the shared-email check is ruled out, like "not email".
  // Not where the question asks why they must differ ("why do we have to give each a separate email").
  text = text.replace(
    /\b(different|separate|own|two) (emails?|email address(?:es)?|addresses)\b/g,
    (m, a: string, b: string, at: number) =>
      /\b(?:why|need|needs|have to|has to|must|should|require\w*)\b[^.;!?,]*$/.test(text.slice(0, at))
        ? m
        : `${a} not ${b}`,
  );
  // "none of her kids", "no children at all": how many children show (zero), not the value None.
  text = text.replace(/\bnone of\b/g, "zero of");

  const undone = undoneSaid(text);
  // Clauses: a clause said to be fine counts little; after "but", the rest counts more.
  // "but" starts a clause too: "the end date is blank but she gets an error" rules out only the first half.
  const clauses = text.split(/[.;!?,]+|\n|(?=\b(?:but|though|tho|although|however|and)\b)/);
  const words: Word[] = [];
  const clauseWeights = clauses.map(() => 1);
  clauses.forEach((clause, i) => {
    const c = clause.trim();
    // "…, what else": the clause before was looked at, unless it is the trouble that stayed ("dad
    // still gets a server error, what else"); then the fix before it is what was ruled out.
    if (WHAT_ELSE.test(c) && i > 0) {
      if (!(fixFailed && STILL_TROUBLE.test(clauses[i - 1] ?? ""))) clauseWeights[i - 1] = 0.25;
    } else if (ONLY_FINE.test(c) && i > 0 && !endsInQuestion(text, clauses, i)) clauseWeights[i - 1] = 0.25;
    else if (
      FINE.test(c) &&
      !ASKS_WHETHER.test(c.slice(0, FINE.exec(c)?.index ?? 0)) &&
      !(LOOKED.test(c) && FOUND.test((clauses[i + 1] ?? "").trim()))
    )
      clauseWeights[i] = 0.25;
    else if (PORTAL_GRANTS.test(c) && AUTHORITY_CLOSES.test(text) && !AUTHORITY_CLOSES.test(c))
      clauseWeights[i] = 0.25;
    // "merged them friday, today there are two again": the fix made is not the cause when it did not
    // stick; the clause that reports it counts as ruled out, what undoes it (an interface) remains.
    else if (undone && doneChange(c) && !undoneSaid(c)) clauseWeights[i] = 0.5;
    // "merged grandma's two contacts, still nothing": a fix that did not work is not the cause.
    else if (fixFailed && doneChange(c) && !STILL_TROUBLE.test(c)) clauseWeights[i] = 0.25;
  });
  // A list goes on past its first comma ("checked email, dupes, status and dates", "the email, status
  // and end date, all fine"): a bare item next to a clause read as looked at is looked at too.
  // Not an item that a contrast follows ("authority is joint so that's ok, the end date though is 2024").
  const looked = (i: number) => (clauseWeights[i] ?? 1) <= 0.25;
  const item = (i: number) =>
    LIST_ITEM.test(clauses[i]?.trim() ?? "") && !CONTRAST_START.test(clauses[i + 1]?.trim() ?? "");
  let listed = false;
  for (let i = 1; i < clauses.length; i++) {
    listed = item(i) && looked(i - 1) && (listed || CHECKED_VERB.test(clauses[i - 1] ?? ""));
    if (listed) clauseWeights[i] = 0.25;
  }
  for (let i = clauses.length - 2; i >= 0; i--) if (item(i) && looked(i + 1)) clauseWeights[i] = 0.25;
  // Five or more checks named as looked at ("checked email, dups, status, access, authority, dates"):
  // every check, as "went down the whole list" says it.
  const checksLooked = clauses.filter((clause, i) => looked(i) && CHECK_NAMED.test(clause)).length;
  if (checksLooked >= 5) cues.allChecked = true;
  const roleIsParent = cues.complaint && !cues.howTo && !cues.block;
  let afterContrast = false;
  let clauseStart = 0;
  let previousStart = 0;
  for (const [i, clause] of clauses.entries()) {
    const tokens = clause.match(/[a-z0-9#]+(?:'[a-z]+)?/g) ?? [];
    // Where this clause's words start, and the previous one's (a lone "tho" contrasts that one).
    if (tokens.length > 0) [previousStart, clauseStart] = [clauseStart, words.length];
    let negateNext = 0;
    for (const [j, raw] of tokens.entries()) {
      if (words.length >= MAX_WORDS) break;
      // "a server error but only for one of the parents": a restriction of what came before, not a
      // contrast with it.
      if (
        CONTRAST.test(raw) &&
        /^(?:only|just) (?:for|with|on|when|in|if)$/.test(tokens.slice(j + 1, j + 3).join(" "))
      )
        continue;
      if (CONTRAST.test(raw)) {
        // Everything before the contrast in this question counts less than what follows it; a
        // contrast that ends its clause ("status says Transferred tho") contrasts the clause itself.
        const before =
          j < tokens.length - 1 ? words.length : tokens.length === 1 ? previousStart : clauseStart;
        if (!afterContrast) for (const w of words.slice(0, before)) w.weight *= 0.6;
        afterContrast = true;
        continue;
      }
      const token = raw.replace(/'s$/, "");
      if (token === "not" || token === "never") {
        // "custody not email", "not a duplicate", "it's not the email": the next word is ruled out.
        // "is not allowed contact", "does not see" stay: a value or a symptom, not a topic ruled out.
        const prev = tokens[j - 1] ?? "";
        const next = tokens[j + 1] ?? "";
        // "sees his 12yo fine but not his 18yo": what she does not see is the one missing, not a
        // cause ruled out ("share custody but not email" has no seeing before it).
        if (
          ["but", "just", "only", "except", "yet"].includes(prev) &&
          SEEING.test(clauses.slice(0, i).join(" "))
        )
          words.push({ text: "not", weight: clauseWeights[i] ?? 1 });
        else if (["a", "an", "the", "about", "her", "his", "their"].includes(next)) negateNext = 2;
        // "we do not have an interface", "they do not use a shared email": what follows is ruled out.
        else if (HAVE.has(next) && AUXILIARY.has(prev)) negateNext = 2;
        // "the email is not shared", "she is not a duplicate", "the end date is not expired": a state
        // denied rules its check out ("is not listed", "is not active" stay: they are symptoms).
        else if (NEGATED_STATE.test(next) && AUXILIARY.has(prev)) {
          negateNext = 1;
          // …and what it is denied of ("the email"), so the whole check ("shared email") is ruled out.
          const subject = words
            .slice(clauseStart)
            .findLast((w) => !AUXILIARY.has(w.text) && !FILLER.has(w.text));
          if (subject && SUBJECT_OF_STATE.test(subject.text))
            Object.assign(subject, { weight: 0, ruledOut: true });
        }
        // "X not Y" only when Y ends the clause: "custody not email", but not "not greyed out after".
        else if (prev && !AUXILIARY.has(prev) && /^[a-z]{3,}$/.test(next) && j + 2 >= tokens.length)
          negateNext = 1;
        // A verb negated ("is not listed", "does not see") says something is wrong: the word stays
        // for the classifier (the search drops it), or "the child is not listed" reads as "listed".
        else words.push({ text: "not", weight: clauseWeights[i] ?? 1 });
        continue;
      }
      const base = clauseWeights[i] ?? 1;
      // In a complaint, who the contact is (grandma, a guardian) says nothing of the cause: read as a
      // parent, so a role is not taken for a check (setting a new guardian up is a how-to: kept).
      const asWho =
        roleIsParent && ROLE.test(token)
          ? ["parent"]
          : respelledWords.has(token)
            ? [token]
            : correctWord(token, spelling);
      for (const part of asWho) {
        if (negateNext > 0 && !FILLER.has(part)) {
          words.push({ text: part, weight: 0, ruledOut: true });
          negateNext -= 1;
        } else
          words.push(base < 1 ? { text: part, weight: base, ruledOut: true } : { text: part, weight: base });
      }
    }
  }
  // A symptom said in other words is also said in the knowledge's words (SYMPTOMS).
  // Not in a clause the question rules out ("merged her two contacts, still nothing": not two contacts).
  let saidText = text;
  clauses.forEach((clause, i) => {
    if (fixFailed && (clauseWeights[i] ?? 1) <= 0.25 && clause.trim())
      saidText = saidText.replace(clause, " , ");
  });
  const said = new Set(SYMPTOMS.filter(({ pattern }) => pattern.test(saidText)).map(({ phrase }) => phrase));
  // The same parent under two spellings of a name ("Jen Lopez" and "Jennifer Lopez"): two contacts.
  if (nameVariants(question)) said.add(TWO_CONTACTS);
  // An adult's age, or the parent entered twice, explains a missing child better than "the others
  // show" does: the child missing is what that cause looks like, not a cause of its own.
  if (adult || said.has(TWO_CONTACTS)) said.delete(ONE_CHILD_MISSING);
  // Duplicates back after a merge are what a change that does not stick looks like (an interface).
  if (said.has(KEEPS_CHANGING_BACK)) said.delete(TWO_CONTACTS);
  // Some children show and one does not, or one child said missing ("her daughter is not there",
  // "child missing"; the cue only: which check that points to is the symptom phrase's to say).
  // "only one of them can get in" says it of the parents.
  if (ONE_PARENT.test(saidText)) said.delete(ONE_CHILD_MISSING);
  cues.othersShow = said.has(ONE_CHILD_MISSING);
  cues.childMissing =
    cues.othersShow || (A_CHILD_MISSING.test(saidText) && !adult && !said.has(TWO_CONTACTS));
  for (const phrase of said)
    for (const word of phrase.split(" ")) words.push({ text: word, weight: 1, read: true });
  return { words, cues };
}

/** Whether the text says a fix did not last ("keeps changing back" among the SYMPTOMS). */
function undoneSaid(text: string): boolean {
  return SYMPTOMS.some(({ pattern, phrase }) => phrase === KEEPS_CHANGING_BACK && pattern.test(text));
}

/** The knowledge's phrase for some of a family's children showing and one not (a symptom, not a cause). */
export const ONE_CHILD_MISSING = "one child missing";
/** A child (one, named by who it is) said to be missing: "her daughter is not there", "child missing", "cannot see his son". */
const CHILD = `(?:son|daughter|baby|newborn|infant|child|kid|boy|girl|twin|stepson|stepdaughter|little one|youngest|oldest|toddler)`;
/** One of the parents, not of the children: "only one of them can get in", "just one of the parents sees them". */
const ONE_PARENT =
  /\b(?:only|just) (?:one|1) of (?:them|the parents|the two|us|both)\b (?:can|could|is able|gets?|got|has|sees?|logs?)\b|\b(?:only|just) (?:one|1) (?:parent|of the parents)\b|\b(?:one|1) of (?:the |both |their |our )?(?:two |2 )?(?:parents|guardians|adults|contacts|moms|dads)\b/;
const A_CHILD_MISSING = new RegExp(
  [
    String.raw`\b${CHILD}(?:'s)? (?:[\w']+ ){0,4}?(?:is |are |was |has |went )?(?:still )?(?:missing|gone|disappear(?:ed|ing)|vanish(?:ed|ing)|dropping off|dropped off|not (?:there|here|showing|shown|listed|visible|appearing|linked|on (?:it|there|the|her|his|their|mom|dad))|not show(?:ing)? up|does not (?:show|appear|come up|load))\b`,
    String.raw`\b${CHILD} missing\b`,
    String.raw`\b(?:cannot|can not|does not|do not|not|never) (?:see|find|view|get to|pull up) (?:her|his|their|the|a|my|any of (?:her|his|their)) (?:[\w']+ )?${CHILD}\b`,
    String.raw`\b(?:does not|do not|not|never|no longer) (?:show|shows|showing|list|lists|listing|display|displays|have|has) (?:her|his|their|the) (?:[\w']+ )?${CHILD}\b`,
  ].join("|"),
);
const TWO_CONTACTS = "two contacts";
const KEEPS_CHANGING_BACK = "keeps changing back";

/**
 * Symptoms staff describe in many ways, each with the phrase the knowledge uses for it. Which check a
 * symptom points to is the content's to say: every phrase is a keyword of some entry
 * (test/knowledge/understand.test.ts holds them to that), so code recognizes what happened and
 * knowledge/ says what explains it.
 */
export const SYMPTOMS: ReadonlyArray<{ pattern: RegExp; phrase: string }> = [
  {
    // Some of a family's children show and one does not: "sees her daughter but not her son",
    // "two of the three kids show", "the older two are there", "the baby is missing but not his sister".
    pattern: new RegExp(
      [
        String.raw`\b(?:only|just) (?:one|1|two|2|some) (?:of )?(?:the |her |his |their |my )?(?:\w+ )?(?:kids|children|siblings|boys|girls)\b`,
        String.raw`\b(?:one|two|2|three|3|some) of (?:the |her |his |their |my )?(?:\w+ ){0,2}(?:kids|children|siblings|boys|girls|twins|triplets)\b`,
        String.raw`\b(?:only|just) (?:one|1|two|2|three|3|some) (?:of them|shows?|showing|appears?|is there|are there|comes? up)\b`,
        String.raw`\b(?:one|1|two|2|three|3) of (?:the |her |his |their |my )?(?:two|2|three|3|four|4|five|5)\b`,
        String.raw`\b(?:the )?other (?:kids?|children|child|siblings?|ones?|two|three|2|3|boy|girl)\b|\bthe others\b`,
        String.raw`\b(?:youngest|oldest|older|younger|middle|big|little|baby) (?:one|kid|child|sister|brother|son|daughter|two|three|ones|sibling)\b`,
        String.raw`\b(?:sees?|seeing|shows?|showing) (?:his|her|their|the) (?!account|login|name|page|profile|portal|email|info|dashboard|inbox|messages|appointments?|appts|bills?|balance|results|forms?|reminders)\w+(?: \w+)? but not (?:his|her|their|the) \w+`,
        String.raw`\b(?:sibling|brother|sister)s? (?:shows?|is there|are there|appears?)\b`,
        String.raw`\bcan see (?:his|her|their|the) \w+\b.{0,40}\b(?:cannot|can not|does not|not) see (?:his|her|their|the) \w+`,
        String.raw`\bthe (?:youngest|oldest)\b`,
        String.raw`\b(?:1|one) (?:kid|child|son|daughter|boy|girl)\b.{0,30}\bnot (?:the )?other\b`,
        String.raw`\bnow (?:only|just) (?:one|1|two|2|three|3)\b`,
        // "her daughter's show up fine": the other child shows.
        String.raw`\b(?:her|his|their|the) (?:son|daughter|brother|sister|boy|girl|sibling|siblings|twins|other (?:kid|child|one|boy|girl)|older (?:kid|one|two|boy|girl)|younger (?:kid|one|two|boy|girl))(?:'s)? (?:shows?|show up|shows up|is|are|appears?|comes? up|load|loads)(?: up)? (?:fine|ok|okay|normally|just fine|no problem)\b`,
        // "sees all the kids except the baby".
        String.raw`\b(?:all|every|both|each)\b(?: [\w']+){0,3}? (?:except|but not|other than|apart from)\b`,
        String.raw`\bonly (?:sees?|see|seeing|shows?|showing|gets?) (?:one|1|two|2|three|3|four|4)\b`,
        String.raw`\bbut (?:her|his|their|the) (?:son|daughter|brother|sister|boy|girl|other \w+) (?:is|are) (?:still )?(?:there|fine|showing|ok)\b`,
      ].join("|"),
    ),
    phrase: ONE_CHILD_MISSING,
  },
  {
    // One parent's address on the other's contact too: "mom's email is on his contact too", "both
    // contacts have dad's yahoo addy on them".
    pattern:
      /\b(?:mom|mother|wife|her)(?:'s)? (?:\w+ )?(?:email|address|addy)\b(?: [\w']+){0,3}? (?:on|in|under) (?:his|both|dad'?s?|father'?s?|husband'?s?|the other(?: parent'?s?)?) (?:contacts?|lines?|records?|profiles?)\b|\b(?:dad|father|husband|his)(?:'s)? (?:\w+ )?(?:email|address|addy)\b(?: [\w']+){0,3}? (?:on|in|under) (?:her|both|mom'?s?|mother'?s?|wife'?s?|the other(?: parent'?s?)?) (?:contacts?|lines?|records?|profiles?)\b|\bboth (?:contacts|parents|of them|records|lines)\b(?: [\w']+){0,2}? (?:have|has|show|list|use|with|on) (?:the same |one |his |her |dad'?s? |mom'?s? )?(?:[\w']+ ){0,2}?(?:email|address|addy)\b/,
    phrase: "same email",
  },
  {
    // Two parents who should both keep access ("parents separated, both want to keep access"): the
    // Authority column's Joint.
    pattern:
      /\bboth (?:parents |of them |mom and dad )?(?:still )?(?:want|need|should|are supposed to|must|to)\b(?: [\w']+){0,3}? (?:access|see|view|log in|keep access|have access|get in)\b/,
    phrase: "joint custody",
  },
  {
    // Access for a while only ("needs access for 6 months only", "temporary access"): an End Date.
    pattern:
      /\btemporar\w*\b|\b(?:access|portal|see|view)\b(?: [\w']+){0,3}? (?:for|until|till|through) (?:\d+|one|two|three|four|six|a few|a couple(?: of)?|the next) (?:days?|weeks?|months?|years?)\b/,
    phrase: "stop date",
  },
  {
    // A correction that does not last: "it went back to the old email", "keeps changing back overnight".
    pattern:
      /\b(?:chang\w*|went|goes|going|gone|switch\w*|flipp\w*|revert\w*) back\b|\bback to (?:the |her |his )?(?:old|previous|original|wrong|same)\b|\b(?:old|wrong|previous|original) (?:one|email|address|name|value|info)s? (?:is|are|was|were|came|comes|keeps coming) back\b|\b(?:fix\w*|chang\w*|correct\w*|updat\w*|edit\w*)\b.{0,60}\b(?:the )?(?:next|following) (?:day|morning)\b|\b(?:reset\w*|revert\w*|chang\w*|switch\w*|go(?:es)? back) (?:every|each) (?:night|day|morning|time)\b|\b(?:every|each) (?:night|day|morning|weekend)\b.{0,40}\b(?:reset\w*|revert\w*|chang\w*|switch\w*|flip\w*|back to)\b|\b(?:wrong|old|back|different|changed) again\b|\b(?:merged|fixed|cleared|corrected|removed|deleted|combined)\b.{1,80}\b(?:there'?s|theres|there are|there is|there were|there was|it'?s|its|is|are|was|were|shows?|showed|has|have|had|got)\b(?: [\w']+){0,3}? again\b|\b(?:set|saved|changed|fixed|updated|corrected|put)\b.{1,80}\b(?:it'?s|it is|is|was|shows?|says|reads) (?:[\w']+ ){0,2}?(?:none|blank|empty|minor|full|joint|exclusive|wrong|the old \w+) again\b|\b(?:every|each) time\b.{0,60}\b(?:again|back|duplicat\w*|overwr\w*|revert\w*|reset\w*|wip\w*|wrong)\b|\b(?:duplicated|created|added|copied|split) again\b|\b(?:breaks?|broke|broken|stops? working|stopped working|messes up|messed up|goes bad|went bad) again\b|\b(?:undone|undo|undoes|undid|undoing|overwr(?:it|ot)\w*|rewr(?:it|ot)\w*|overrid\w*|wip(?:e|es|ed|ing)|(?:does not|did not|will not|wo not|not) stick\w*|keeps? (?:changing|reverting|resetting|coming back|getting replaced)|keeps? getting (?:re-?created|re-?added|re-?made|duplicated|copied|overwritten|changed|reset|wiped))\b/,
    phrase: KEEPS_CHANGING_BACK,
  },
  {
    // The same person entered again: "a second contact for dad", "another record under her work email".
    pattern:
      /\b(?:a |an )?(?:second|2nd|another|extra|other|new|separate|duplicate) (?:portal |op )?(?:contact|record|profile|entry|account)\b(?! (?:for|of) (?:the )?(?:kid|child|patient|baby|son|daughter))|\b(?:two|2) (?:contacts|records|profiles|entries)\b|\bonce (?:as|under)\b.{1,40}\bonce (?:as|under)\b|\bone (?:contact |record )?(?:under|as)\b.{1,40}\b(?:one|another|the other) (?:under|as)\b|\b(?:another|a second|one more) (?:one )?(?:under|with)\b|\b(?:entered|added|created|put in|typed in|keyed in|registered) (?:him |her |them )?again\b|\b(?:entered|added|created|registered|made)\b(?: [\w']+){0,3}? once\b.{0,60}\b(?:and )?again\b|\b(?:names?|spelling)\b(?: [\w']+){0,4}? (?:spelled|spelt|typed|entered|written) (?:diff\w*|two ways|another way|wrong)\b|\bspelled (?:diff\w*|two (?:different )?ways)\b|\b(?:2|two) of (?:him|her)\b(?! (?:kids|children|sons|daughters|boys|girls|siblings|twins|three|3|four|4)\b)|\b(?:entered|added|listed|created|in op|in the system) twice\b/,
    phrase: TWO_CONTACTS,
  },
  {
    // The same person made anew instead of picked: "added dad as a new person", "typed her in from
    // scratch instead of using her existing contact", "re-entered", "two rows, both him", "her old
    // last name on one kid". Said by what happened, not by the word duplicate.
    pattern:
      /\b(?:added|entered|created|made|typed|put|registered|set up|built)\b(?: [\w']+){0,4}? (?:as )?(?:a |an )?(?:brand[ -]new|brand|new|fresh|separate|whole new|second) (?:person|contact|record|profile|entry|one|guy|lady|parent|mom|dad)\b|\bfrom scratch\b|\b(?:fresh|new|again) instead of\b|\binstead of (?:using|picking|choosing|selecting|linking|pulling|attaching|grabbing|finding|searching)\b|\b(?:did not|not|never|without) (?:[\w']+ ){0,2}?(?:link|use|pick|attach|choose|select|search|look)\w* (?:up |for )?(?:[\w']+ ){0,2}?(?:existing|original|old|first|other) (?:contact|record|profile|entry|one)\b|\balready (?:in (?:the system|op|there|our system)|had (?:a |an )?(?:contact|record|profile)|existed|exists|on file)\b|\bre-?(?:entered|added|created|registered|typed|made)\b|\b(?:two|2|three|3|several|multiple|a few|couple(?: of)?) (?:results|matches|hits|rows|lines|people|ppl|names|entries)\b(?: [\w']+){0,6}? (?:both|all|same)\b|\b(?:both|all) (?:of them )?(?:are |is |were )?(?:him|her|them|the same (?:person|lady|guy|woman|man|mom|dad|parent))\b|\b(?:old|new|former|previous|maiden|married|different|other) (?:last |first |middle |sur)?names? on (?:one|the other|her \w+|his \w+)\b|\bonly (?:shows?|displays?|lists?|has|finds?|one)\b(?: [\w']+){0,3}? (?:contact|dad|mom|parent|person|entry|record|line|result)s? (?:with|under|for|using) (?:that|the|this|her|his|their|same|one) (?:email|address)\b/,
    phrase: TWO_CONTACTS,
  },
  {
    // A clean-up of old charts sets them to another status: "we cleaned up old charts", "purged
    // patients with no visits", "archived a bunch of records".
    pattern:
      /\b(?:clean(?:ed|ing)?[ -]?up|cleaned out|purg\w*|archiv\w*|deactivat\w*|inactivat\w*)\b(?: [\w']+){0,4}? (?:old |inactive |stale )?(?:charts|patients|pts|records|accounts|files)\b|\b(?:chart|patient|record)s? (?:clean[ -]?up|purge)\b/,
    phrase: "inactive",
  },
  {
    // What to do once a fix is made: "does she need to log in again after the change", "how do I
    // know the merge worked", "what do I tell the parent after the fix".
    pattern: AFTER_CHANGE,
    phrase: "confirm it worked",
  },
  {
    // Which value most parents get, for no column named but the portal ("which portal option is
    // the normal one"): the Portal column, whose Minor is the most common setting.
    pattern: new RegExp(
      String.raw`^(?!.*\b(?:authority|custody|end date|start date|status|email)\b).*(?:${USUAL_SETTING.source})`,
    ),
    phrase: "access level",
  },
  {
    // A parent who made several portal accounts: "mom made like 4 logins", "a few accounts".
    pattern:
      /\b(?:several|multiple|many|a few|few|a couple|couple|\d|two|three|four|five|a bunch of|bunch of)(?: of)?(?: \w+)? (?:portal )?(?:accounts|logins|log-ins|usernames)\b|\b(?:signed up|registered|made (?:an )?accounts?) (?:twice|two times|more than once|again)\b/,
    phrase: "multiple accounts",
  },
];

/** Capitalized words that are not people's names in a question about the portal. */
const NOT_NAMES = new Set(
  "i im i'm op ok okay mom dad mum portal full minor none joint exclusive blank authority family contacts contact manager patient chart register status active inactive end start date dates server error internal help about support practicum office hipaa email the a an my our his her their is it its she he they we what why how who when where which can does do did please pls thanks hi hey so and but also just still now then yes no not baby sister brother son daughter grandma grandpa dob pt jr sr mr mrs ms dr".split(
    " ",
  ),
);
/** Irregular short forms of first names, as pairs both ways ("mike:michael", "michael:mike"). */
const NICKNAMES = new Set(
  "mike:michael bill:william will:william bob:robert dick:richard rick:richard jim:james jack:john ted:edward peggy:margaret maggie:margaret beth:elizabeth liz:elizabeth betty:elizabeth sally:sarah kate:catherine katie:catherine hank:henry chuck:charles tony:anthony"
    .split(" ")
    .flatMap((pair) => [pair, pair.split(":").reverse().join(":")]),
);

/** Whether two first names are one person's ("jen"/"jennifer", "tom"/"thomas", "mike"/"michael"). */
function sameFirstName(a: string, b: string): boolean {
  if (a === b) return true;
  if (NICKNAMES.has(`${a}:${b}`)) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < 3 || short[0] !== long[0]) return false;
  // The short form's letters in order within the long one: jen/jennifer, tom/thomas, katie/katherine.
  let at = 0;
  for (const ch of long) if (ch === short[at]) at += 1;
  return at >= short.length;
}

/**
 * Two full names in the question that are one person spelled two ways: the same last name with
 * two forms of one first name ("Jen Lopez", "Jennifer Lopez"), or one first name with two last
 * names ("Maria Lopez", "Maria Lopez-Garcia"; "Anita Shah" at work, "Anita Patel" at home).
 */
function nameVariants(question: string): boolean {
  const names: Array<[string, string]> = [];
  for (const m of question.matchAll(/\b([A-Z][a-z]+)\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b/g)) {
    const first = (m[1] ?? "").toLowerCase();
    const last = (m[2] ?? "").toLowerCase();
    if (NOT_NAMES.has(first) || NOT_NAMES.has(last)) continue;
    names.push([first, last]);
  }
  for (const [i, [f1, l1]] of names.entries())
    for (const [f2, l2] of names.slice(i + 1)) {
      if (f1 === f2 && l1 === l2) continue;
      if (l1 === l2 && sameFirstName(f1, f2)) return true;
      // One first name under two last names ("Anita Shah at work and Anita Patel at home"): the
      // article's parent with a personal and a professional last name, both in OP.
      if (f1 === f2 && l1 !== l2) return true;
    }
  return false;
}

/** What comes before "n't" ("doesn't", "isnt"): not "we" or "i", or "went" would read "we not". */
const CONTRACTED = new Set(
  "is was are were do does did has have had should would could ca wo must need".split(" "),
);

/** Words before "not" that make it the negation of a verb ("is not allowed"), not of a topic. */
const AUXILIARY = new Set([
  "is",
  "was",
  "are",
  "were",
  "do",
  "does",
  "did",
  "has",
  "have",
  "had",
  "should",
  "would",
  "could",
  "will",
  "can",
  "cannot",
  "may",
  "might",
  "must",
  "wo",
  "ca",
  "portal",
  "still",
  "and",
  "or",
  "if",
  "why",
  "i",
  "we",
]);
const FILLER = new Set(["a", "an", "the", "about", "her", "his", "their", "have", "use", "run", "any"]);
/** What a denied state is said of that names a check ("the email is not shared", "dad is not a duplicate"). */
const SUBJECT_OF_STATE = /^(?:emails?|address|contacts?|records?|end|date|authority|custody|status)$/;
/** Verbs of having after which "not" denies the thing had ("we do not have an interface"). */
const HAVE = new Set(["have", "use", "run"]);
/** States whose denial rules their check out ("not shared", "not duplicated", "not expired"). */
const NEGATED_STATE = /^(?:shared|duplicated?|duplicates|expired|banned|blank|empty|same|merged|twice)$/;

/** Who a contact is, other than a parent: the family's other roles. */
const ROLE =
  /^(?:guardians?|grand(?:parent|ma|pa|mother|father|mom|dad|mum)s?|nana|granny|aunt|auntie|uncle|step(?:mom|dad|mother|father|parent)s?|foster)$/;

/** People whose possessive staff type without an apostrophe ("childs", "grandmas", "stepdads"). */
const POSSESSIVE_OF = new Set(
  "child mom dad mum mother father parent grandma grandpa grandmother grandfather stepmom stepdad guardian nanny sister brother son daughter baby patient wife husband aunt uncle".split(
    " ",
  ),
);

/** A word as the vocabulary knows it: corrected, or split when two words ran together. */
function correctWord(token: string, spelling: SpellingCorrector): string[] {
  // A possessive typed without its apostrophe ("childs status", "grandmas contact"): the word itself.
  if (token.endsWith("s") && POSSESSIVE_OF.has(token.slice(0, -1))) return [token.slice(0, -1)];
  if (spelling.has(token) || token.length < 4 || /\d/.test(token)) return [token];
  // A known word with an ending ("resetting", "unmerged" is not "un merged"): left as typed, not
  // corrected to a neighbour or split into a word and a fragment ("reset ting").
  if (inflectionOfKnown(token, spelling)) return [token];
  // A near word first ("eightteen" is "eighteen", not "eight teen"), then two run together.
  const fixed = spelling.correct(token);
  if (fixed) return [fixed];
  return spelling.split(token) ?? [token];
}

/**
 * A word respelled for the readings (the cue patterns): a near word of the knowledge's, else as
 * typed. Possessives and run-together words are left to the word-by-word reading (correctWord).
 */
function respelled(token: string, spelling: SpellingCorrector): string {
  if (spelling.has(token) || token.length < 4 || inflectionOfKnown(token, spelling)) return token;
  return spelling.correct(token) ?? token;
}

/** "resetting" (reset), "reverted" (revert), "emailing" (email): a known word with an ending. */
function inflectionOfKnown(token: string, spelling: SpellingCorrector): boolean {
  const m = /^(.{3,}?)(ing|ings|ed)$/.exec(token);
  if (!m) return false;
  const stem = m[1] ?? "";
  return (
    spelling.has(stem) ||
    spelling.has(`${stem}e`) ||
    // A doubled consonant before the ending ("resetting", "stopped").
    (/([b-df-hj-np-tv-z])\1$/.test(stem) && spelling.has(stem.slice(0, -1)))
  );
}
