/** The rules module's public face: what the CLI and the Slack app use. */

export { type Outcome, outcomeOf } from "./coverage.js";
export { ACCEPTED_FORMS } from "./detect.js";
export { orderFindings } from "./order.js";
export * from "./schema.js";
export type { ValidationHandlers } from "./session.js";
export { validateText } from "./validate.js";
export { type StreamHandlers, validateStream } from "./validate-stream.js";
