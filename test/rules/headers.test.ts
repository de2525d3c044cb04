import { describe, expect, it } from "vitest";
import { detectForm } from "../../src/core/rules/detect.js";
import { fieldFor, HEADER_SYNONYMS } from "../../src/core/rules/fields.js";
import { validateText } from "../../src/core/rules/validate.js";
import { TODAY } from "../support/rules.js";

/** Each entry of the header table (fields.ts), as a header, a snake_case key and a key: value line. */
describe("header synonyms", () => {
  it.each(HEADER_SYNONYMS.map(({ header, field }) => [header, field]))(
    "%s is read as %s",
    (header, field) => {
      expect(fieldFor(header)).toBe(field);
      expect(fieldFor(header.toUpperCase().replace(/ /g, "_"))).toBe(field);
      const table = validateText(`${header},Notes\nx,y\n`, { today: TODAY });
      expect(table.columns).toEqual({ used: { [header]: field }, ignored: ["Notes"] });
    },
  );

  it("words that are not a header of the table are ignored and listed as such", () => {
    const result = validateText("Contact,Phone,Home Address,Insurance\nJane,1,2,3\n", { today: TODAY });
    expect(result.columns).toEqual({
      used: { Contact: "contact" },
      ignored: ["Phone", "Home Address", "Insurance"],
    });
  });

  it("single everyday words are not headers: a chat reply is not taken for a key: value record", () => {
    for (const reply of ["Last: called the mom, no answer", "First: check the email", "Chart: looks fine"]) {
      expect(detectForm(reply, true)?.form, reply).toBeNull();
    }
  });
});
