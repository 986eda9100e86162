import { z } from "zod";
import { QUOTA_IDS } from "../lib/quotas";
import { list } from "./primitives";

const LIMIT = "expected a positive whole number: the account's quota as Service Quotas shows it";

/**
 * `lakehouse:quotas`: the account's raised quotas, keyed by the ids of lib/quotas.ts. The plan
 * judges the stack's usage against these instead of AWS's defaults.
 */
export const quotasSchema = z
    .record(z.string(), z.number({ error: LIMIT }).int({ error: LIMIT }).positive({ error: LIMIT }), { error: "expected a mapping of quota ids to the account's values" })
    .superRefine((quotas, ctx) => {
        for (const [id, value] of Object.entries(quotas)) {
            if (!QUOTA_IDS.includes(id)) ctx.addIssue({ code: "custom", path: [id], input: value, message: `unknown quota id; expected one of ${list(QUOTA_IDS)}` });
        }
    });

/**
 * The quotas a stack file declares (`lakehouse:quotas`), validated, with one line per bad value;
 * {} when it declares none. The plan reads them from the stack file it planned.
 */
export function declaredQuotas(rawConfig: Record<string, unknown>): { quotas: Record<string, number>; errors: string[] } {
    const raw = rawConfig["lakehouse:quotas"];
    if (raw === undefined) return { quotas: {}, errors: [] };
    const result = quotasSchema.safeParse(raw, { reportInput: true });
    if (result.success) return { quotas: result.data, errors: [] };
    const errors = result.error.issues.map((issue) => {
        const key = ["lakehouse:quotas", ...issue.path.map(String)].join(".");
        return `${key}: got ${JSON.stringify((issue as { input?: unknown }).input)}; ${issue.message}`;
    });
    return { quotas: {}, errors };
}
