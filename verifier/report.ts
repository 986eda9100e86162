import { REPORT_WIDTH, wrap } from "../lib/text";
import { type HopResult, isBroken, isNotJudged, type PersonaReport, type VerificationReport } from "./index";

/** The report as written to JSON: hops without the internal grant references. */
export function publicReport(report: VerificationReport): VerificationReport {
    return { ...report, hops: report.hops.map(({ grants: _grants, ...hop }) => hop) };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The human summary: the broken hops first, each with its reason and a one-line fix, then the
 * verified hops counted by domain.
 */
export function renderVerification(report: VerificationReport): string {
    const { hops, verified, broken, notJudged = 0 } = report.summary;
    const lines = [`Verification: ${plural(hops, "hop")}, ${verified} verified, ${broken} broken${notJudged > 0 ? `, ${notJudged} not judged` : ""}`];
    lines.push(...notJudgedGroups(report.hops));
    const failing = report.hops.filter((h) => isBroken(h) || isNotJudged(h)).sort((a, b) => Number(isNotJudged(a)) - Number(isNotJudged(b)) || a.domain.localeCompare(b.domain) || a.requirement.localeCompare(b.requirement));
    for (const hop of failing) lines.push(...renderBroken(hop));
    const byDomain = new Map<string, number>();
    for (const hop of report.hops.filter((h) => !isBroken(h) && !isNotJudged(h))) byDomain.set(hop.domain, (byDomain.get(hop.domain) ?? 0) + 1);
    if (byDomain.size > 0) {
        lines.push(`  verified: ${[...byDomain.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([domain, n]) => `${domain} ${n}`).join(", ")}`);
    }
    lines.push(...renderPersonas(report.personas ?? []));
    return lines.join("\n");
}

/**
 * The persona section: per principal, the tables it reads (column count, PII with and without
 * access) and the engines it reads them through.
 */
export function renderPersonas(personas: PersonaReport[]): string[] {
    if (personas.length === 0) return [];
    const lines = ["  personas (what Lake Formation lets each read, and through which engines):"];
    // Each item on its own lines, wrapped at the report's width with its continuation indented.
    const item = (text: string) => lines.push(...wrap(text, REPORT_WIDTH, "        ", "      "));
    for (const p of personas) {
        lines.push(`    ${shortPrincipal(p.principal)} (${p.principal})`);
        if (p.tables.length === 0) item("reads no table");
        for (const t of p.tables) {
            const pii = [t.piiWithAccess.length > 0 ? `PII with access: ${t.piiWithAccess.join(", ")}` : "", t.piiWithoutAccess.length > 0 ? `PII WITHOUT ACCESS: ${t.piiWithoutAccess.join(", ")}` : ""].filter(Boolean).join("; ");
            item(`${t.database}.${t.table}: ${plural(t.columns.length, "column")}${pii ? ` (${pii})` : ""}`);
        }
        item(`Athena: ${p.athena.workgroups.length > 0 ? `workgroups ${p.athena.workgroups.join(", ")}` : p.athena.note}`);
        item(`Spectrum: ${p.spectrum.schemas.length > 0 ? p.spectrum.schemas.map((s) => `${s.schema} (${s.database}, ${s.role === "SESSION" ? "session identity" : shortPrincipal(s.role)})`).join(", ") : p.spectrum.note}`);
        item(`Redshift: ${p.redshift.note}`);
    }
    return lines;
}

function renderBroken(hop: HopResult): string[] {
    const label = hop.verdict === "denied" ? "DENIED" : hop.verdict === "unreachable" ? "UNREACHABLE" : hop.verdict === "not-judged" ? "NOT JUDGED" : hop.verdict === "exposed" ? "PII EXPOSED" : "BROKEN";
    return [`  ${label} [${hop.domain}] ${hop.hop} (${hop.requirement}; ${shortPrincipal(hop.principal)})`, `      ${hop.reason}`, `      fix: ${hop.fix}`];
}

function shortPrincipal(principal: string): string {
    return principal.startsWith("arn:") ? principal.split(/[:/]/).pop()! : principal;
}

/**
 * Not-judged hops counted by what they waited on (a hop that waited on several kinds of value
 * counts under each), so a preview's report says at a glance why, before the per-hop list.
 */
export function notJudgedGroups(hops: HopResult[]): string[] {
    const byKind = new Map<string, number>();
    for (const hop of hops.filter(isNotJudged)) for (const kind of hop.waitedOn ?? ["a value the plan does not know"]) byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    if (byKind.size === 0) return [];
    return ["  not judged, by what the plan does not know yet (a hop may wait on several):", ...[...byKind.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([kind, n]) => `    ${plural(n, "hop")}: ${kind}`)];
}
