/**
 * A domain's column contract as the ingestion validator applies it, and the validation and
 * normalisation of one record against it. Runs inside the Lambda function: no imports, so the
 * module ships as it is compiled.
 */

/** One declared column. */
export interface ColumnContract {
    /** Column name. */
    name: string;
    /** Glue type name: string, int, bigint, double, boolean, timestamp, date or decimal(p,s). */
    type: string;
    /** Whether the column may be missing or null. */
    nullable: boolean;
    /** Lowest value a numeric column accepts. */
    min?: number;
    /** Highest value a numeric column accepts. */
    max?: number;
}

/** What a domain accepts and where valid records go. */
export interface DomainContract {
    /** The domain's Kinesis stream. */
    stream: string;
    /** The declared columns, in order. */
    columns: ColumnContract[];
    /** Columns whose values make the stream's partition key: one key's records stay in order on one shard. */
    primaryKey: string[];
}

/** The message producers send: `{ "domain": "<name>", "record": { …columns } }`. */
export interface IngestionMessage {
    /** The domain the record belongs to. */
    domain: string;
    /** The record: one value per declared column. */
    record: Record<string, unknown>;
}

/** A record ready for its stream, or why it was refused. */
export type Verdict =
    | { ok: true; domain: string; stream: string; partitionKey: string; data: Record<string, unknown> }
    | { ok: false; domain?: string; reason: string };

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * A timestamp as Firehose's OpenX JSON deserializer reads it into a Hive timestamp:
 * `yyyy-MM-dd HH:mm:ss.SSS` in UTC.
 */
export function hiveTimestamp(date: Date): string {
    return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`;
}

/** An ISO 8601 text with a zone, or epoch milliseconds. */
function parseInstant(value: unknown): Date | undefined {
    if (typeof value === "number" && Number.isFinite(value)) return new Date(value);
    if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return undefined;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The value normalised to the column's type, or the reason it does not fit. */
function normalise(column: ColumnContract, value: unknown): { value: unknown } | { reason: string } {
    const refuse = (expected: string) => ({ reason: `${column.name}: got ${JSON.stringify(value)}; expected ${expected}` });
    const decimal = /^decimal\((\d+),(\d+)\)$/.exec(column.type);
    let normalised: unknown;
    if (decimal) {
        const [precision, scale] = [Number(decimal[1]), Number(decimal[2])];
        const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
        const parts = typeof text === "string" ? /^-?(\d+)(?:\.(\d+))?$/.exec(text) : null;
        if (!parts || parts[1].replace(/^0+(?=\d)/, "").length > precision - scale || (parts[2] ?? "").length > scale) return refuse(`a number with at most ${precision - scale} integer and ${scale} fraction digits`);
        normalised = Number(text);
    } else {
        switch (column.type) {
            case "string":
                if (typeof value !== "string") return refuse("a string");
                normalised = value;
                break;
            case "int":
            case "bigint": {
                const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
                if (typeof number !== "number" || !Number.isSafeInteger(number)) return refuse("an integer");
                if (column.type === "int" && (number < -2_147_483_648 || number > 2_147_483_647)) return refuse("a 32-bit integer");
                normalised = number;
                break;
            }
            case "double":
                if (typeof value !== "number" || !Number.isFinite(value)) return refuse("a number");
                normalised = value;
                break;
            case "boolean":
                if (typeof value !== "boolean") return refuse("true or false");
                normalised = value;
                break;
            case "timestamp": {
                const instant = parseInstant(value);
                if (!instant) return refuse("an ISO 8601 time with a zone, or epoch milliseconds");
                normalised = hiveTimestamp(instant);
                break;
            }
            case "date":
                if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(new Date(`${value}T00:00:00Z`).getTime())) return refuse("a date yyyy-MM-dd");
                normalised = value;
                break;
            default:
                return { reason: `${column.name}: the contract's type ${column.type} is not supported` };
        }
    }
    if (typeof normalised === "number" && ((column.min !== undefined && normalised < column.min) || (column.max !== undefined && normalised > column.max))) {
        return refuse(`a value from ${column.min ?? "-∞"} to ${column.max ?? "∞"}`);
    }
    return { value: normalised };
}

/**
 * Validates one queue message against its domain's contract. A valid record keeps the declared
 * columns only (fields outside the contract are dropped), each normalised to what the raw zone's
 * Parquet conversion reads; its stream partition key is its primary key.
 */
export function validateMessage(body: string, contracts: Record<string, DomainContract>): Verdict {
    let message: unknown;
    try {
        message = JSON.parse(body);
    } catch {
        return { ok: false, reason: "the message is not JSON" };
    }
    const { domain, record } = (message ?? {}) as Partial<IngestionMessage>;
    if (typeof domain !== "string") return { ok: false, reason: 'the message has no "domain"' };
    const contract = Object.hasOwn(contracts, domain) ? contracts[domain] : undefined;
    if (!contract) return { ok: false, domain, reason: `domain ${domain} is not served by this queue (expected one of: ${Object.keys(contracts).join(", ")})` };
    if (!record || typeof record !== "object" || Array.isArray(record)) return { ok: false, domain, reason: 'the message has no "record" object' };
    const data: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const column of contract.columns) {
        const value = (record as Record<string, unknown>)[column.name];
        if (value === undefined || value === null) {
            if (!column.nullable || contract.primaryKey.includes(column.name)) problems.push(`${column.name}: missing; the column is required`);
            continue;
        }
        const result = normalise(column, value);
        if ("reason" in result) problems.push(result.reason);
        else data[column.name] = result.value;
    }
    if (problems.length > 0) return { ok: false, domain, reason: problems.join("; ") };
    return { ok: true, domain, stream: contract.stream, partitionKey: contract.primaryKey.map((k) => String(data[k])).join("|"), data };
}
