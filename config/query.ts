/**
 * `lakehouse:query`: the personas' Athena query path (components/query): how much one query may
 * scan, how long results stay, and whether the stack attaches each persona's generated policy to
 * its roles. One schema here; the cross-key checks (persona names, role accounts) are in
 * {@link queryProblems}, run by config/schema.ts.
 */
import { z } from "zod";
import { accountOfArn, flag, intRange, strict } from "./primitives";

/** Athena's smallest per-query cut-off (10 MiB, https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html). */
export const MIN_BYTES_SCANNED_CUTOFF = 10 * 1024 * 1024;
/** 100 GiB: a full scan of a large curated table, not a runaway cross join. */
export const DEFAULT_BYTES_SCANNED_CUTOFF = 100 * 1024 * 1024 * 1024;

const cutoff = z
    .number({ error: `expected a whole number of bytes, at least ${MIN_BYTES_SCANNED_CUTOFF} (10 MiB, Athena's minimum)` })
    .int({ error: `expected a whole number of bytes, at least ${MIN_BYTES_SCANNED_CUTOFF} (10 MiB, Athena's minimum)` })
    .min(MIN_BYTES_SCANNED_CUTOFF, { error: `expected a whole number of bytes, at least ${MIN_BYTES_SCANNED_CUTOFF} (10 MiB, Athena's minimum)` });

export const querySchema = strict({
    /** Bytes one query may scan before Athena cancels it, for personas that set none. */
    bytesScannedCutoffPerQuery: cutoff.default(DEFAULT_BYTES_SCANNED_CUTOFF),
    /** Days query results stay in the results bucket. */
    resultExpirationDays: intRange(1, 90).default(30),
    /**
     * Attach each persona's generated policy (its workgroup only) to its roles, by role name. Off by
     * default: the roles are not the stack's, and a tool managing their attachments exclusively
     * would fight it; the policies are outputs to attach where the roles are managed. When on, the
     * roles must be in the stack's account (a managed policy attaches only there).
     */
    attachPolicies: flag().default(false),
    /** Per persona (a name of lakehouse:governance.personas): its own cut-off. */
    personas: z
        .record(z.string(), strict({ bytesScannedCutoffPerQuery: cutoff.optional() }), { error: "expected a mapping of persona names" })
        .default({}),
}).default({ bytesScannedCutoffPerQuery: DEFAULT_BYTES_SCANNED_CUTOFF, resultExpirationDays: 30, attachPolicies: false, personas: {} });

export type QueryConfig = z.output<typeof querySchema>;

/** One problem of the query settings against the personas and the deployer's account. */
export interface QueryProblem {
    path: (string | number)[];
    input: unknown;
    message: string;
}

/**
 * What the query settings get wrong given the declared personas: a per-persona setting for a
 * persona that does not exist, or policies to attach to roles of another account than the
 * deployer's (a managed policy attaches only to roles of its own account).
 */
export function queryProblems(query: QueryConfig, personas: Record<string, { roleArns: string[] }>, deployerRoleArn: string, administrators: string[] = []): QueryProblem[] {
    const problems: QueryProblem[] = [];
    for (const name of Object.keys(query.personas)) {
        if (!(name in personas)) problems.push({ path: ["personas", name], input: name, message: `expected a persona of lakehouse:governance.personas: ${Object.keys(personas).join(", ") || "none declared"}` });
    }
    const account = accountOfArn(deployerRoleArn);
    // With the stack's account itself in doubt (reported on lakehouse:governance), nothing to compare with.
    const oneAccount = account !== undefined && administrators.every((arn) => accountOfArn(arn) === undefined || accountOfArn(arn) === account);
    if (query.attachPolicies && oneAccount) {
        for (const [name, persona] of Object.entries(personas)) {
            for (const arn of persona.roleArns) {
                // A role that is not an ARN is reported on lakehouse:governance.
                const roleAccount = accountOfArn(arn);
                if (roleAccount !== undefined && roleAccount !== account) {
                    problems.push({
                        path: ["attachPolicies"],
                        input: true,
                        message: `expected false: persona ${name}'s role ${arn} is not in the stack's account ${account}, and a managed policy attaches only to roles of its own account; attach the exported policy where the role is managed`,
                    });
                }
            }
        }
    }
    return problems;
}

/** The last segment of a role ARN: the name IAM attaches policies by. */
export function roleNameOfArn(arn: string): string {
    return arn.split("/").pop() ?? arn;
}
