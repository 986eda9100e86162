/**
 * Runs the warehouse's schema statements in order through the Redshift Data API, each as its own
 * statement (auto-committed, as any DDL may be: some cannot run inside a transaction block), and
 * waits for each to end before the next starts. Every statement is written to run again
 * harmlessly, so a run that stops half-way is completed by the next. Nothing here touches the
 * network itself, so the logic is tested with a fake Data API.
 */

/** One statement as the stack declares it (`schemaStatements` in lib/warehouse-sql.ts). */
export interface SchemaStatement {
    /** Stable id, e.g. `table-orders`: names the statement in the Data API and in errors. */
    id: string;
    /** The SQL. */
    sql: string;
}

/** The warehouse the statements run in, as the function's environment pins it. */
export interface WarehouseTarget {
    /** A provisioned cluster or a Serverless workgroup. */
    kind: "cluster" | "serverless";
    /** Cluster identifier or workgroup name. */
    name: string;
    /** Database the statements run in. */
    database: string;
    /** ARN of the admin secret the Data API signs in with. */
    secretArn: string;
}

/** What the function is invoked with (the `aws.lambda.Invocation` input). */
export interface SchemaRequest {
    /** The warehouse; it must be the one the function was deployed for. */
    target: WarehouseTarget;
    /** Statements, run in this order. */
    statements: SchemaStatement[];
}

/** How a statement ended. */
export interface StatementOutcome {
    /** The statement's id. */
    id: string;
    /** The Data API's id of the run. */
    statementId: string;
    /** Polls until it ended. */
    polls: number;
}

/** The part of the Redshift Data API the function uses. */
export interface DataApi {
    /** Submits one statement; resolves to its Data API id. */
    execute(statement: SchemaStatement): Promise<string>;
    /** The statement's status (`SUBMITTED`, `PICKED`, `STARTED`, `FINISHED`, `FAILED`, `ABORTED`) and error. */
    describe(statementId: string): Promise<{ status: string; error?: string }>;
}

/** When to poll and when to give up. */
export interface Pacing {
    /** Milliseconds the invocation has left (Lambda's `context.getRemainingTimeInMillis`). */
    remainingMs(): number;
    /** Waits; the tests make it instant. */
    sleep(ms: number): Promise<void>;
    /**
     * Time kept back to report a statement that has not ended, before Lambda stops the function.
     * @default 5000
     */
    reserveMs?: number;
    /**
     * First wait between polls; each wait doubles up to {@link maxPollMs}.
     * @default 250
     */
    firstPollMs?: number;
    /**
     * Longest wait between polls.
     * @default 5000
     */
    maxPollMs?: number;
}

/** Statuses after which a statement does nothing more (https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_DescribeStatement.html). */
const ENDED = new Set(["FINISHED", "FAILED", "ABORTED"]);

/** Checks the invocation input against the warehouse the function was deployed for, naming what is wrong. */
export function parseRequest(input: unknown, deployedFor: WarehouseTarget): SchemaRequest {
    const fail = (what: string): never => {
        throw new Error(`invalid request: ${what}`);
    };
    if (!input || typeof input !== "object") fail("expected an object");
    const { target, statements } = input as Record<string, unknown>;
    if (!target || typeof target !== "object") fail("target is not an object");
    for (const key of ["kind", "name", "database", "secretArn"] as const) {
        const value = (target as Record<string, unknown>)[key];
        if (value !== deployedFor[key]) fail(`target.${key} is ${JSON.stringify(value)}, but this function runs statements in ${deployedFor.kind} ${deployedFor.name}, database ${deployedFor.database}, with its admin secret`);
    }
    if (!Array.isArray(statements) || statements.length === 0) fail("statements is not a non-empty list");
    const seen = new Set<string>();
    const parsed = (statements as unknown[]).map((s, i) => {
        const { id, sql } = (s ?? {}) as Record<string, unknown>;
        if (typeof id !== "string" || !/^[a-zA-Z0-9_.-]{1,128}$/.test(id)) fail(`statements[${i}].id is not an id of letters, digits, '_', '.' or '-'`);
        if (seen.has(id as string)) fail(`statements[${i}].id ${id} is declared twice`);
        seen.add(id as string);
        if (typeof sql !== "string" || sql.trim() === "") fail(`statements[${i}].sql is empty`);
        return { id, sql } as SchemaStatement;
    });
    return { target: deployedFor, statements: parsed };
}

/**
 * Runs the statements one after the other. Fails on the first that does not finish, with its
 * error, or when the function's time would run out before it ends (it may still finish in the
 * warehouse: the next run repeats it harmlessly); the statements after it do not run.
 */
export async function runStatements(api: DataApi, statements: SchemaStatement[], pacing: Pacing): Promise<StatementOutcome[]> {
    const reserve = pacing.reserveMs ?? 5000;
    const outcomes: StatementOutcome[] = [];
    for (const statement of statements) {
        const statementId = await api.execute(statement);
        let wait = pacing.firstPollMs ?? 250;
        for (let polls = 1; ; polls++) {
            const { status, error } = await api.describe(statementId);
            if (status === "FINISHED") {
                outcomes.push({ id: statement.id, statementId, polls });
                break;
            }
            const ran = outcomes.length === 0 ? "none ran before it" : `${outcomes.map((o) => o.id).join(", ")} ran before it`;
            if (ENDED.has(status)) throw new Error(`statement ${statement.id} (Data API id ${statementId}) ${status}: ${error ?? "no error given"}; ${ran}`);
            if (pacing.remainingMs() - wait < reserve) {
                throw new Error(
                    `statement ${statement.id} (Data API id ${statementId}) is still ${status} and the function's time is running out; it may yet finish in the warehouse, and the next run repeats it harmlessly; ${ran}`,
                );
            }
            await pacing.sleep(wait);
            wait = Math.min(wait * 2, pacing.maxPollMs ?? 5000);
        }
    }
    return outcomes;
}
