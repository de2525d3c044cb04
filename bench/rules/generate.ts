import { once } from "node:events";
import { createWriteStream } from "node:fs";

/**
 * Writes a practice's family-contacts export as CSV: families of one to four children, each child
 * linked to each of the family's contacts (so one parent appears once per child), with extra
 * columns no rule reads, "Last, First" names in quotes, and a few percent of rows with each
 * problem the rules look for. Seeded, so every run checks the same file.
 */

export const HEADER = [
  "Patient ID",
  "Patient Name",
  "DOB",
  "Patient Status",
  "Contact ID",
  "Contact Name",
  "Relationship",
  "Email",
  "Home Phone",
  "Portal",
  "Authority",
  "Start Date",
  "End Date",
];

const FEMALE =
  "Ava Emma Olivia Sophia Mia Isabella Amelia Harper Evelyn Abigail Emily Ella Grace Chloe Camila Aria Nora Lily Zoe Layla Riley Hannah Leah Sarah Maya Ana Li Kim Mei Priya Fatima Rosa Jane Ruth Carmen".split(
    " ",
  );
const MALE =
  "Liam Noah Oliver Elijah James William Benjamin Lucas Henry Alexander Mason Michael Ethan Daniel Jacob Logan Jackson Levi Sebastian Mateo Jack Owen Samuel Wei Omar Raj Diego Luis John David Carlos Ahmed Kenji Ivan Paul".split(
    " ",
  );
const LAST =
  "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Chen Patel Kim Park Singh Cohen Rossi Müller Novak Silva".split(
    " ",
  );
const DOMAINS = [
  "gmail.com",
  "yahoo.com",
  "outlook.com",
  "icloud.com",
  "aol.com",
  "hotmail.com",
  "comcast.net",
];

/** mulberry32: a small, fast, seeded generator; the same seed gives the same export. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Contact {
  id: number;
  first: string;
  last: string;
  relationship: string;
  email: string;
}

export async function generateExport(file: string, rows: number, today: Date, seed = 42): Promise<number> {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const chance = (p: number) => rand() < p;
  const date = (d: Date) => `${d.getMonth() + 1}/${d.getDate()}/${d.getFullYear()}`;
  const daysFromToday = (days: number) =>
    new Date(today.getFullYear(), today.getMonth(), today.getDate() + days);
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const buffer: string[] = [];
  const flush = async () => {
    if (!out.write(buffer.join(""))) await once(out, "drain");
    buffer.length = 0;
  };
  const csvCell = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  buffer.push(`${HEADER.join(",")}\n`);

  let written = 0;
  let nextContact = 1;
  let nextPatient = 1;
  let emailSerial = 0;
  const emailFor = (first: string, last: string) =>
    `${first}.${last}${++emailSerial % 997}@${pick(DOMAINS)}`.toLowerCase().replace("ü", "u");

  while (written < rows) {
    const last = pick(LAST);
    const contacts: Contact[] = [];
    const mother = { id: nextContact++, first: pick(FEMALE), last, relationship: "Mother", email: "" };
    mother.email = emailFor(mother.first, last);
    contacts.push(mother);
    if (chance(0.8)) {
      const father = { id: nextContact++, first: pick(MALE), last, relationship: "Father", email: "" };
      // shared-email: the father is given the mother's address (~2% of families).
      father.email = chance(0.025) ? mother.email : emailFor(father.first, last);
      contacts.push(father);
    }
    if (chance(0.15)) {
      const grandparent = {
        id: nextContact++,
        first: pick(FEMALE),
        last: pick(LAST),
        relationship: "Grandmother",
        email: "",
      };
      grandparent.email = emailFor(grandparent.first, grandparent.last);
      contacts.push(grandparent);
    }
    // duplicate-contact: a second record for the mother under her maiden name, same email.
    const maiden = chance(0.02) ? { ...mother, id: nextContact++, last: pick(LAST) } : undefined;
    const children = 1 + Math.floor(rand() * rand() * 4);
    for (let c = 0; c < children && written < rows; c++) {
      const patientId = nextPatient++;
      const first = chance(0.5) ? pick(FEMALE) : pick(MALE);
      // Ages 0–20: about one patient in seven is 18 or older; most of those have Full access.
      const dob = daysFromToday(-Math.floor(rand() * 21 * 365.25));
      const status = chance(0.03) ? pick(["Inactive", "Deceased", "Transferred"]) : "Active";
      for (const [index, contact] of contacts.entries()) {
        const shown = maiden && index === 0 && c % 2 === 1 ? maiden : contact;
        const adult = today.getFullYear() - dob.getFullYear() > 18;
        // Blank email (~2%): missing-email for a contact with portal access.
        let portal = adult && chance(0.7) ? "Full" : "Minor";
        if (chance(0.02)) portal = "None";
        let authority = chance(0.7) ? "Joint" : "Exclusive";
        if (chance(0.03)) authority = "";
        else if (chance(0.01)) authority = "None";
        const email = chance(0.02) ? "" : chance(0.05) ? ` ${shown.email.toUpperCase()}` : shown.email;
        const startRoll = rand();
        const start =
          startRoll < 0.01
            ? date(daysFromToday(1 + Math.floor(rand() * 90)))
            : startRoll < 0.31
              ? date(daysFromToday(-Math.floor(rand() * 3000)))
              : "";
        const endRoll = rand();
        const end =
          endRoll < 0.02
            ? `${date(daysFromToday(-1 - Math.floor(rand() * 900)))}${chance(0.3) ? " 10:15 AM" : ""}`
            : endRoll < 0.03
              ? date(daysFromToday(Math.floor(rand() * 400)))
              : "";
        let dobText = date(dob);
        if (chance(0.002)) dobText = `${dob.getDate() + 12}/${dob.getMonth() + 1}/${dob.getFullYear()}`; // day and month swapped
        const cells = [
          String(patientId),
          `${first} ${last}`,
          dobText,
          status,
          String(shown.id),
          `${shown.last}, ${shown.first}`,
          shown.relationship,
          email,
          `(555) ${String(100 + Math.floor(rand() * 900))}-${String(1000 + Math.floor(rand() * 9000))}`,
          portal,
          authority,
          start,
          end,
        ];
        buffer.push(`${cells.map(csvCell).join(",")}\n`);
        written++;
        // duplicate-contact: the same contact listed twice for this patient (~0.3% of rows).
        if (chance(0.003) && written < rows) {
          buffer.push(`${cells.map(csvCell).join(",")}\n`);
          written++;
        }
        if (written >= rows) break;
      }
      if (buffer.length >= 4096) await flush();
    }
  }
  await flush();
  out.end();
  await once(out, "finish");
  return written;
}
