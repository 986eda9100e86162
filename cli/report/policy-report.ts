import { isNotJudgedMessage } from "../../policies/lib/unknowns";
import type { EnforcementLevel, PolicyEvaluation } from "../engine/policy-analyzer";
import { plural, REPORT_WIDTH, wrap } from "./text";

/** The plan JSON's `policies` section. */
export interface PolicySection {
    pack: string;
    /** Config file the levels and parameters came from. */
    config: string;
    policies: { name: string; level: EnforcementLevel; severity: string }[];
    violations: { policy: string; level: EnforcementLevel; severity: string; urn: string; message: string }[];
    exemptions: { urn: string; message: string }[];
    /** Fixes applied by policies at the `remediate` level, as `pulumi up` would apply them. */
    remediations: { policy: string; urn: string; message: string }[];
    /**
     * What a policy could not judge and why, per resource: a value it needed is unknown until the
     * update (a preview). Listed, never counted as violations; `pulumi up` judges them.
     */
    notJudged: { policy: string; urn: string; message: string }[];
    summary: { mandatory: number; advisory: number; notJudged: number };
    /** Deprecation notices about the policy config (retired policy names it still uses). */
    notices: string[];
}

/** The policy that reports exemptions in force: its diagnostics are listed, not counted. */
export const EXEMPTIONS_IN_FORCE = "policy-exemptions-in-force";

export function policySection(evaluation: PolicyEvaluation, levels: Record<string, { level: EnforcementLevel }>, configSource: string, notices: string[] = []): PolicySection {
    const byOrder = (a: { policy: string; urn: string; message: string }, b: { policy: string; urn: string; message: string }) =>
        a.policy.localeCompare(b.policy) || a.urn.localeCompare(b.urn) || a.message.localeCompare(b.message);
    const diagnostics = [...evaluation.diagnostics].sort(byOrder);
    const remediations = diagnostics.filter((d) => d.level === "remediate").map((d) => ({ policy: d.policy, urn: d.urn, message: d.message }));
    const notJudged = diagnostics.filter((d) => d.level === "advisory" && isNotJudgedMessage(d.message)).map((d) => ({ policy: d.policy, urn: d.urn, message: d.message }));
    const violations = diagnostics.filter((d) => d.policy !== EXEMPTIONS_IN_FORCE && d.level !== "remediate" && !(d.level === "advisory" && isNotJudgedMessage(d.message)));
    const exemptions = diagnostics.filter((d) => d.policy === EXEMPTIONS_IN_FORCE).map((d) => ({ urn: d.urn, message: d.message }));
    return {
        pack: evaluation.pack,
        config: configSource,
        policies: evaluation.policies
            .map((p) => ({ name: p.name, level: levels[p.name]?.level ?? p.level, severity: p.severity }))
            .sort((a, b) => a.name.localeCompare(b.name)),
        violations: violations.map((d) => ({ policy: d.policy, level: d.level, severity: d.severity, urn: d.urn, message: d.message })),
        exemptions,
        remediations,
        notJudged,
        summary: {
            mandatory: violations.filter((v) => v.level === "mandatory").length,
            advisory: violations.filter((v) => v.level === "advisory").length,
            notJudged: notJudged.length,
        },
        notices,
    };
}

/**
 * Violations grouped by policy, mandatory first: each group with its level, severity and count,
 * then every finding (each says what is wrong and what would satisfy the policy), wrapped to fit.
 */
export function renderPolicySummary(section: PolicySection): string {
    const evaluated = section.policies.filter((p) => p.level !== "disabled").length;
    const lines = wrap(
        `Policies: ${evaluated} of ${section.policies.length} evaluated (${section.pack}, ${section.config}); ${plural(section.summary.mandatory, "mandatory violation")} and ${plural(section.summary.advisory, "advisory violation")}${section.summary.notJudged ? `; ${section.summary.notJudged} not judged (values unknown until the update)` : ""}`,
        REPORT_WIDTH,
        "  ",
        "",
    );
    const groups = new Map<string, PolicySection["violations"]>();
    for (const v of section.violations) groups.set(v.policy, [...(groups.get(v.policy) ?? []), v]);
    const rank = (level: string) => (level === "mandatory" ? 0 : 1);
    for (const [policy, list] of [...groups.entries()].sort((a, b) => rank(a[1][0].level) - rank(b[1][0].level) || a[0].localeCompare(b[0]))) {
        lines.push(...wrap(`${list[0].level.toUpperCase()} ${policy} (${list[0].severity}): ${plural(list.length, "finding")}`, REPORT_WIDTH, "    ", "  "));
        for (const v of list) lines.push(...wrap(`${v.urn.split("::").pop()}: ${v.message}`, REPORT_WIDTH, "      ", "    - "));
    }
    for (const n of section.notices ?? []) lines.push(...wrap(`notice: ${n}`, REPORT_WIDTH, "    ", "  "));
    for (const e of section.exemptions) lines.push(...wrap(`exemption: ${e.urn.split("::").pop()}: ${e.message}`, REPORT_WIDTH, "    ", "  "));
    for (const r of section.remediations) lines.push(...wrap(`remediated by ${r.policy}: ${r.urn.split("::").pop()}: ${r.message}`, REPORT_WIDTH, "    ", "  "));
    const waited = new Map<string, PolicySection["notJudged"]>();
    for (const n of section.notJudged ?? []) waited.set(n.policy, [...(waited.get(n.policy) ?? []), n]);
    for (const [policy, list] of [...waited.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
        lines.push(...wrap(`NOT JUDGED ${policy}: ${plural(list.length, "resource")}`, REPORT_WIDTH, "    ", "  "));
        for (const n of list) lines.push(...wrap(`${n.urn.split("::").pop()}: ${n.message.replace(/^not judged:\s*/, "")}`, REPORT_WIDTH, "      ", "    - "));
    }
    return lines.join("\n");
}
