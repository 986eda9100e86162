/** The report helpers live in lib/text.ts, shared with the verifier's report. */
export * from "../../lib/text";
