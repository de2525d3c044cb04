/**
 * What a question is about, when that is outside the domain although it shares the domain's words:
 * a password or username (of anyone), a staff member's OP account, merging a patient's charts, or a
 * legal judgment. The domain is a parent or contact who cannot see a child on the portal and the
 * family-contact settings that govern it; these topics share its words (portal, reset, account,
 * merge, custody) but not its subject; so does the portal down for every family (the checks are
 * about one family's access). Read from what the question asks about (the object of
 * "reset", "merge", "set up", "access"), not from single words, and each topic gives way where the
 * domain uses the same words: Support resetting a parent's password for testing is the escalation,
 * a password said to work while a child is missing is a portal complaint, and which Authority to
 * set for a custody decision is the Authority check.
 */

export type OutsideTopic =
  | "own-login"
  | "credential"
  | "staff-account"
  | "staff-records"
  | "patient-chart"
  | "legal"
  | "outage"
  | "practice-email"
  | "portal-feature"
  | "report"
  | "custody-schedule"
  | "system"
  | "device"
  | "unmerge";

/** A staff member's own OP account ("my OP password", "I'm locked out of OP"). */
const OWN_LOGIN =
  /\b(?:my|our) (?:own )?(?:op |office practicum |staff |work )?(?:login|log-in|log in|password|username|user name|account|sign[- ]?in)\b|\b(?:i|we) (?:am |are |'m |'re |got |get |was |were |have been |'ve been )?locked out of (?:op|office practicum)\b|\b(?:i|we) cannot (?:log|sign) ?(?:in|on|into) (?:to )?op\b/;
/** Someone of the family, whose account an "our"/"my" may also name ("my patient's mom"). */
const FAMILY_WORD = /\b(?:mom|dad|parent|mother|father|her|his|their)\b/;

/** People who work at the practice. */
const STAFF_ROLE =
  "(?:new hire|hire|employee|staff(?: member)?|staffer|co-?worker|colleague|nurse|doctor|provider|physician|receptionist|front desk(?: person| girl| guy| lady)?|biller|medical assistant|locum|scribe|intern|temp|office manager|practice manager|manager|resident)s?";
/**
 * A staff member's own employment records: pay, benefits, time off ("mark a staff member inactive in
 * payroll", "the end date for open enrollment on our staff health plan").
 */
const STAFF_RECORDS =
  /\b(?:payroll|paychecks?|pay stubs?|paystubs?|salar(?:y|ies)|w-?2s?|401k|benefits enrollment|open enrollment|health (?:plan|insurance) for (?:our |the )?staff|staff (?:health|dental|vision) (?:plan|insurance)|pto|time[- ]off requests?|timesheets?|time ?cards?)\b/;
/** A staff member's OP account, access or permissions ("set up the new biller's login", "the locum needs access"). */
const STAFF_ACCOUNT = new RegExp(
  [
    String.raw`\b(?:login|log-in|password|username|user name|account|sign[- ]?in|access|permissions?|user)s? (?:for|of) (?:our |the |a |my )?(?:new )?${STAFF_ROLE}\b`,
    String.raw`\b${STAFF_ROLE}(?:'s)? (?:op |office practicum )?(?:login|log-in|password|username|user account|account|permissions?|security role)s?\b`,
    String.raw`\b(?:give|grant|set up|setup|add|create|make|get|request|need|needs|requires?|wants?) (?:for )?(?:a |an |the |our |my )?(?:new )?${STAFF_ROLE}(?:'s)? (?:an? )?(?:op |office practicum |system )?(?:access|account|login|log-in|user|permissions?|security role)\b`,
    String.raw`\b${STAFF_ROLE} (?:needs?|wants?|requires?|is asking for|asked for) (?:to (?:use|have|get|borrow) )?(?:an? |her |his |their |my )?(?:op |office practicum )?(?:access|account|login|user|permissions?)\b`,
    // Locked out of OP itself: parents are locked out of the portal, staff out of OP.
    String.raw`\b(?:is|was|got|gets|has been|keeps getting) locked out of (?:op|office practicum)\b`,
    // Someone's OP account by name ("jessica's OP account"): parents have portal accounts, not OP ones.
    String.raw`\b(?!(?:mom|dad|mum|parent|mother|father|grandma|grandpa|guardian|the|a|an|his|her|their)s?\b)[a-z]+(?:'s|s) (?:op|office practicum) (?:account|login|log-in|username|user|password|access|profile)\b`,
    // Not a parent's permission for OP (Support asks for it before resetting the parent's password).
    String.raw`\b(?<!\b(?:parent|mom|dad|mum|mother|father|guardian|family)(?:'s|s|s')? |\bportal )(?:access|account|login|permissions?|user) (?:to|in|into|for) (?:op|office practicum)\b`,
    // Parents sign in to the portal; an OP login or OP user is always a staff member's.
    String.raw`\b(?:needs?|wants?|get|give|set up|create|add) (?:him |her |them )?(?:an? |her |his |their )?(?:op|office practicum) (?:login|log-in|account|user(?: account)?|username|access|permissions?)\b`,
  ].join("|"),
);

/** A password, username or PIN, a locked or forgotten login: the credential itself is the subject. */
const CREDENTIAL =
  /\b(?:passwords?|passcodes?|pass word|pw|pwd|usernames?|user ?names?|user ?id|(?:login|log-?in|sign-?in) (?:name|id)|credentials|pin|2fa|two[- ]factor|mfa|verification code|security questions?)\b|\bunlock\w*\b|\b(?:forg[oe]t\w*|cannot remember|can not remember|does not remember|do not remember|lost|misplaced) (?:his|her|their|my|the|your) (?:portal |op )?(?:login|log in|sign in|account info|credentials)\b|\btoo many (?:tries|attempts|times)\b|\b(?:reset|recovery) (?:link|email)\b/;
/**
 * Where the domain speaks of a credential: Support resetting it to test (with the parent's
 * permission), or a parent who gets in and still misses a child.
 */
const CREDENTIAL_IN_DOMAIN =
  /\b(?:op|office practicum|support|help ?desk|escalat\w*|authoriz\w*|permission|consent|test\w*|case|ticket)\b/;
/**
 * A child missing or out of reach while the parent gets in: the domain's problem, whatever is said of
 * the password. A child only mentioned ("she was seeing the kids fine before") is not missing.
 */
const CHILD_MISSING =
  /\b(?:cannot|can not|not|never|no longer|does not|do not|did not|is not|are not) (?:see|view|find|open|get to|access|show|appear|come up|display|load)\b|\bsees? (?:no|nothing|zero|none)\b|\b(?:not|no longer|stopped) (?:showing|listed|there|appearing|visible)\b|\b(?:is|are) missing\b|\bmissing (?:a |one |her |his |the )?(?:kids?|child|children|son|daughter|baby)\b|\b(?:kids?|child|children|son|daughter|baby|twins|siblings?|records) (?:is |are )?(?:gone|missing|disappeared|vanished|not there|blank|empty)\b|\b(?:locked|shut) out of (?:the |her |his |their )?(?:kids?|child|children|son|daughter|baby|records|charts?)\b|\bonly (?:sees?|see|seeing|shows?) (?:one|1|two|2|some)\b|\bsee (?:anything|anyone|any of)\b/;
/** A clause saying the children showed fine ("she was seeing the kids fine before"): not missing. */
const CHILDREN_FINE =
  /\b(?:sees?|seeing|saw|see|could see|can see|view\w*)\b[\w' ]{0,30}\b(?:fine|ok|okay|normally|before|until|all along)\b|\bno (?:problems?|issues?|trouble) (?:seeing|viewing|with)\b/;

/** Merging or de-duplicating a patient's charts (not a parent's contact). */
const PATIENT_CHART = new RegExp(
  [
    String.raw`\b(?:merg\w*|combin\w*|consolidat\w*|join\w*)\b(?: (?!contacts?\b|parents?\b|mom|dad|mother|father|guardians?\b)[\w']+){0,4}? (?:charts?|patients?|pts|patient (?:records?|files?|accounts?)|medical records?|mrns?|registrations?)\b(?!'s)`,
    String.raw`\bduplicate (?:patient )?(?:charts?|patients|pts|mrns?|patient records?|registrations?)\b`,
    String.raw`\b(?:two|2|double) (?:charts|mrns|patient records|registrations) (?:for|of) (?:the same|one)\b`,
  ].join("|"),
);

/** Asking for a legal judgment: rights, what the law allows, whether something is legal. */
const LEGAL_ASK =
  /\blegally\b|(?<!in-)\blaws?\b|\b(?:lawyer|attorney)s?\b|\b(?:have|has|had|got) (?:a |any |the )?(?:legal )?rights? to\b|\bwhat (?:are )?(?:his|her|their|the parents?'?|dad'?s|mom'?s) rights\b|\bis (?:it|that|this) (?:legal|illegal|against the law)\b|\b(?:legal|illegal) (?:for|to)\b|\b(?:sue|suing|lawsuit|liable|liability)\b|\blegal advice\b|\b(?:fight\w*|disput\w*|argu\w*|battl\w*) (?:over|about) custody\b|\bwhat the (?:court|judge) (?:decided|ruled|said|ordered)\b|\b(?:subpoena\w*|deposition|testify|testimony)\b|\blegal (?:difference|definition|meaning|terms?|standpoint|question|status)\b|\bcourt (?:date|hearing|case)\b/;
/**
 * One account or email for both parents: why the law (HIPAA) keeps them apart is the shared-email
 * check's reason, not a legal question ("is there some privacy law reason parents cant have one
 * combined portal account").
 */
const ONE_ACCOUNT =
  /\b(?:one (?:combined )?|same|shared|combined|joint|single) (?:portal )?(?:accounts?|emails?|email address(?:es)?|logins?)\b/;
/** A legal fact given to set something by ("legally she has sole custody, what authority for dad"). */
const SETTING_ASKED =
  /\b(?:authority|exclusive|joint|end date|start date|portal (?:setting|column|access|option|level)|access level|minor|full|none)\b/;

/**
 * A setting named to be set by a legal fact ("legally she has sole custody, what authority for dad"),
 * not a legal question that names a value ("the legal difference between joint and sole custody for
 * his court date").
 */
function settingAsked(text: string): boolean {
  return SETTING_ASKED.test(text) && SETTING_ACTION.test(text);
}
const SETTING_ACTION =
  /\b(?:set|sets|setting|pick|choose|select|put|enter|mark|change|what (?:authority|access|portal|end date|start date)|which (?:authority|one|option|value|setting)|should (?:be|have|get))\b/;

/** The portal or OP down for every family, not one family's access: the checks are about one parent. */
const OUTAGE =
  /\b(?:for|to|with) (?:anybody|anyone|everyone|everybody|(?:any|all)(?: of)?(?: our| the)? (?:parents?|family|families|users?|patients?))\b|\b(?:portal|op|site|website|server|system)(?: is| was)? (?:down|offline|out) (?:for|across) (?:the (?:whole|entire) )?(?:practice|office|everyone|all)\b|\b(?:outage|outages)\b/;
/** The portal or OP slow, down or not loading. */
const SLOW =
  /\b(?:portal|op|site|website|system|server)\b(?: (?:is|was|so|really|very|super|running|being|seems|keeps))* (?:slow|down|offline|lagging|laggy|sluggish|crashing|not loading|timing out)\b/;
/** Someone of a family, or a child. */
const FAMILY =
  /\b(?:mom|mum|mother|dad|father|parents?|grand\w*|guardians?|step\w*|wife|husband|family|nanny|sitter|kids?|child|children|son|daughter|baby|twins|she|he|her|his)\b/;
const OUTAGE_TROUBLE = /\b(?:down|offline|outage|load|loading|work|working|slow|crash\w*|error|open)\b/;

/**
 * The practice's own email: one message to many families, or the staff's mail program ("email
 * every parent about the closure", "my outlook won't send"), not a parent's address on a contact.
 */
const PRACTICE_EMAIL =
  /\b(?:mass|bulk|group) (?:email|e-mail|message|text)s?\b|\b(?:email|message) blast\b|\bnewsletter\b|(?:\b(?:send|blast|notify|mail)|(?:^|\b(?:to|i|we|can|should|could|please|and|how do i|how do we|by|via|through|over)) (?:email|message|text))\b(?: [\w']+){0,4}? (?:to )?(?:all|every|each)(?: of)?(?: our| the)? (?:portal )?(?:parents?|famil(?:y|ies)|patients?|users?)\b|\b(?:my|our) (?:own |work |office |practice )?(?:outlook|inbox|email (?:account|inbox|app|program|client))\b|\boutlook (?:app|inbox|calendar|keeps|wo not|will not|is not|crash\w*|sync\w*|not|stopped|froze)\b|\bmy (?:outlook )?email (?:is not|wo not|will not|keeps|stopped|not)\b/;

/**
 * Something other than the child the portal shows or does (appointments, bills, results, messages),
 * said of no child: a portal feature, not a parent who cannot see a child.
 */
const PORTAL_FEATURE =
  /\b(?:appointments?|appts?|bills?|balances?|copays?|payments?|statements?|invoices?|messages?|messaging|lab results|results|forms?|growth charts?|visit summar(?:y|ies)|reminders?|homepage|home page|announcements?|look and feel|appearance|themes?|colou?rs?|logo|layout|branding|font|mobile app|app|apps|hipaa compliant|compliant|compliance|certified|certification|secure|security|encrypt\w*|privacy policy|(?:office|business|holiday|opening|clinic) hours|hours|(?:our|the) (?:office|practice|clinic)(?:'s)? (?:info|information|address|phone(?: number)?|location|name|website)|(?:address|phone(?: number)?|location|website) (?:for|of) (?:our|the) (?:office|practice|clinic))\b/;
const CHILD =
  /\b(?:kids?|child|children|son|sons|daughters?|baby|babies|twins?|boys?|girls?|siblings?|brother|sister|youngest|oldest|teen|toddler|infant|newborn)\b|\badult 18\b/;

/**
 * Another system described as connected to OP ("a registration app that pushes demographics into
 * OP", "the school forms thing our IT hooked up to OP"): an interface, whatever it is called.
 */
const CONNECTED_TO_OP =
  /\b(?:push\w*|send\w*|feed\w*|sync\w*|writ\w*|import\w*|talk\w*|connect\w*|integrat\w*|link\w*|hook\w*|tie\w*|tied|plug\w*)\b(?: [\w']+){0,3}? (?:in ?to|with|to|from) (?:op|office practicum)\b/;

/** A report, list or export out of OP ("run a report of every patient whose parents…"). */
const REPORT =
  /\bhow many (?:families|parents|patients|accounts|users|people|kids|children)\b|\b(?:run|pull|print|export|generate|make|build|create|get)\b(?: [\w']+){0,2}? (?:report|reports|list of (?:all|every)|spreadsheet|export|query)\b|\b(?:print|export|pull)\b(?: [\w']+){0,3}? (?:list|lists|roster)\b/;

/** When a parent has the children (pick-ups, weekends, visitation): a custody schedule, not a portal setting. */
const CUSTODY_SCHEDULE =
  /\b(?:picks? (?:them |the kids? |him |her )?up|pick-?ups?|drop-offs?|dropoffs?|visitation|parenting (?:time|schedule)|(?:has|have|gets|get|takes?) (?:the )?(?:kids|children|boys|girls) (?:on |every |alternate |alternating )?(?:other )?(?:weekends?|fridays?|holidays|summers?|week))\b/;

/**
 * A parent's device or browser ("works on her phone but not her computer", "the app crashes on his
 * iPad"): the device, not the contact settings, when no child is said to be missing.
 */
const DEVICE =
  /\b(?:on|from|in|with|using) (?:her|his|their|a|an) (?:(?:cell|mobile|work|home|new|old) )?(?:phone|computer|laptop|tablet|ipad|iphone|android|browser|app|pc|mac|desktop)\b|\b(?:chrome|safari|firefox|internet explorer|edge browser)\b/;

/** Undoing a merge already made ("unmerge two contacts", "undo a merge"): the checks only merge. */
const UNMERGE =
  /\bun-?merg\w*\b|\b(?:how (?:do|can|to|would) (?:i |we |you )?|can (?:i|we|you) |way to |need to |want to |help me )(?:undo|reverse|back out|split)\w* (?:a |the |that |this |my |our )?merg\w*/;

/** Looking after a system itself (restart the interface engine, reinstall the software). */
const SYSTEM =
  /\b(?:reset|restart|reboot|install|reinstall|upgrade|patch)\b(?: [\w']+){0,3}? (?:engine|server|service|software|database|workstation)s?\b/;

export interface ScopeInput {
  /** The question, normalized (lower case, contractions read). */
  text: string;
  /** Asks what to set or how to do something (understand.ts). */
  howTo: boolean;
  /** Asks for Support's number (understand.ts). */
  number: boolean;
  /**
   * Asks what follows a fix (understand.ts): a password mentioned there is the parent's, kept out of
   * the check ("how do I verify the fix without the parent's password").
   */
  afterChange?: boolean;
  /** Asks how to keep someone out (understand.ts): who picks the children up says why, not what. */
  block?: boolean;
}

/** The topic outside the domain the question is about, or undefined when it may be the domain's. */
export function outsideTopic({
  text,
  howTo,
  number,
  afterChange,
  block,
}: ScopeInput): OutsideTopic | undefined {
  if (OWN_LOGIN.test(text) && !FAMILY_WORD.test(text)) return "own-login";
  if (STAFF_ACCOUNT.test(text)) return "staff-account";
  if (STAFF_RECORDS.test(text) && !FAMILY_WORD.test(text)) return "staff-records";
  if (PATIENT_CHART.test(text)) return "patient-chart";
  // A child missing while the parent gets in: the domain's problem, whatever else the question says.
  const childMissing = CHILD_MISSING.test(text.replace(CHILDREN_FINE, " "));
  // OP as the place ("from inside OP") is not OP's Support asking to test.
  const asked = text.replace(
    /\b(?:in|inside|from|within|through|into|in to) (?:op|office practicum)\b/g,
    " ",
  );
  if (
    CREDENTIAL.test(text) &&
    !number &&
    !afterChange &&
    !CREDENTIAL_IN_DOMAIN.test(asked) &&
    !childMissing &&
    // An error after the password is typed is the article's server error, not the password's trouble.
    !/\berrors?\b/.test(text)
  )
    return "credential";
  // "She's legally an adult now and mom can't see her": a fact of a portal complaint, not a legal question.
  if (LEGAL_ASK.test(text) && !howTo && !settingAsked(text) && !ONE_ACCOUNT.test(text) && !childMissing)
    return "legal";
  if (CUSTODY_SCHEDULE.test(text) && !SETTING_ASKED.test(text) && !block) return "custody-schedule";
  if (SYSTEM.test(text)) return "system";
  if (UNMERGE.test(text)) return "unmerge";
  if (DEVICE.test(text) && !CHILD.test(text)) return "device";
  if (OUTAGE.test(text) && OUTAGE_TROUBLE.test(text)) return "outage";
  // The portal slow or down, said of no one: the service itself, not one family's access.
  if (SLOW.test(text) && !FAMILY.test(text)) return "outage";
  if (PRACTICE_EMAIL.test(text)) return "practice-email";
  if (REPORT.test(text)) return "report";
  if (
    /\bportal\b/.test(text) &&
    PORTAL_FEATURE.test(text) &&
    !CHILD.test(text) &&
    !SETTING_ASKED.test(text) &&
    !CONNECTED_TO_OP.test(text)
  )
    return "portal-feature";
  return undefined;
}
