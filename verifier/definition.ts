/**
 * Reads a Step Functions definition statically: its Task states, and the values their dynamic
 * parameters can take where the definition itself holds them (a Map over a literal list of
 * domains, for instance). What only the execution input can decide stays a placeholder.
 */

/** A Task state with one concrete set of parameters. */
export interface ResolvedTask {
    state: string;
    /** The integration ARN, e.g. `arn:aws:states:::glue:startJobRun.sync`. */
    resource: string;
    /** Parameters with every resolvable `.$` path replaced by its value (keys without `.$`). */
    parameters: Record<string, unknown>;
    /** The `name` of the literal item the values came from (a domain), when there was one. */
    item?: string;
}

/** Every state of a definition with its name, those inside Map and Parallel states included. */
export function allStates(states: Record<string, any> | undefined): [string, any][] {
    const out: [string, any][] = [];
    for (const [name, state] of Object.entries(states ?? {})) {
        out.push([name, state]);
        const nested = state?.ItemProcessor ?? state?.Iterator;
        if (nested) out.push(...allStates(nested.States));
        for (const branch of state?.Branches ?? []) out.push(...allStates(branch.States));
    }
    return out;
}

/** Every Task state of a definition, through Map and Parallel states. */
export function taskStates(states: Record<string, any> | undefined): [string, any][] {
    return allStates(states).filter(([, state]) => state?.Type === "Task");
}

/** The S3 object a Map state reads its items from (ItemReader `s3:getObject`), when the definition names it. */
export function s3ItemReader(state: any): { bucket: string; key: string; inputType: unknown } | undefined {
    const reader = state?.ItemReader;
    if (state?.Type !== "Map" || reader?.Resource !== "arn:aws:states:::s3:getObject") return undefined;
    const { Bucket: bucket, Key: key } = reader.Parameters ?? {};
    return typeof bucket === "string" && typeof key === "string" ? { bucket, key, inputType: reader.ReaderConfig?.InputType } : undefined;
}

/** Every object literal in the definition (the candidates a `$.item.key` path can resolve to). */
function literalObjects(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
    if (Array.isArray(value)) for (const v of value) literalObjects(v, out);
    else if (value && typeof value === "object") {
        out.push(value as Record<string, unknown>);
        for (const v of Object.values(value)) literalObjects(v, out);
    }
    return out;
}

const PATH_ARG = /^\$\.[A-Za-z0-9_.]+$/;

/** The last key of a JSONPath (`$.domain.jobName` → `jobName`) and its parent path. */
function splitPath(path: string): { parent: string; key: string } {
    const at = path.lastIndexOf(".");
    return { parent: path.slice(0, at), key: path.slice(at + 1) };
}

/** Splits the arguments of an intrinsic call at top-level commas. */
function splitArgs(text: string): string[] {
    const args: string[] = [];
    let depth = 0;
    let quoted = false;
    let current = "";
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === "\\" && quoted) {
            current += c + text[++i];
            continue;
        }
        if (c === "'") quoted = !quoted;
        if (!quoted && c === "(") depth++;
        if (!quoted && c === ")") depth--;
        if (!quoted && depth === 0 && c === ",") {
            args.push(current.trim());
            current = "";
        } else current += c;
    }
    if (current.trim()) args.push(current.trim());
    return args;
}

/** A quoted intrinsic string literal's text (`'it\\'s'` → `it's`). */
function unquote(literal: string): string {
    return literal.slice(1, -1).replace(/\\(.)/g, "$1");
}

/**
 * Renders one dynamic value for one literal item: a plain path, `States.Format('…', args)` with
 * every `{}` filled, or `States.Array(…)` of such values. Paths the item does not hold stay as
 * `<$.path>`; other intrinsic functions stay as written.
 */
function render(expression: string, item: Record<string, unknown> | undefined, itemParent: string | undefined): string | string[] | undefined {
    const lookup = (path: string): string => {
        const { parent, key } = splitPath(path);
        if (item && parent === itemParent && item[key] !== undefined) return String(item[key]);
        return `<${path}>`;
    };
    const scalar = (arg: string): string => {
        if (PATH_ARG.test(arg)) return lookup(arg);
        if (arg.startsWith("'")) return unquote(arg);
        const rendered = render(arg, item, itemParent);
        return typeof rendered === "string" ? rendered : arg;
    };
    if (PATH_ARG.test(expression)) return lookup(expression);
    const array = /^States\.Array\((.*)\)$/s.exec(expression);
    if (array) return splitArgs(array[1]).map(scalar);
    const format = /^States\.Format\((.*)\)$/s.exec(expression);
    if (!format) return undefined;
    const [template, ...args] = splitArgs(format[1]);
    if (!template?.startsWith("'")) return undefined;
    // Split at unescaped `{}` before unescaping, so an escaped `\{\}` stays literal text.
    const pieces = template.slice(1, -1).split(/(?<!\\)\{\}/).map((piece) => piece.replace(/\\(.)/g, "$1"));
    return pieces.reduce((text, piece, i) => text + (i > 0 ? (args[i - 1] !== undefined ? scalar(args[i - 1]) : "{}") : "") + piece, "");
}

/** The SQL a Data API task runs: its `Sql`, or the statements of its `Sqls` batch joined with `;`. */
export function taskSql(parameters: Record<string, unknown>): string | undefined {
    if (typeof parameters.Sql === "string") return parameters.Sql;
    if (Array.isArray(parameters.Sqls) && parameters.Sqls.every((s) => typeof s === "string")) return parameters.Sqls.join(";\n");
    return undefined;
}

/** The item paths (`$.domain` of `$.domain.jobName`) an expression reads. */
function itemParents(expression: string): string[] {
    return [...expression.matchAll(/\$\.[A-Za-z0-9_.]+/g)].map((m) => splitPath(m[0]).parent).filter((p) => p !== "$");
}

/**
 * Every Task state, once per literal item its dynamic parameters read (or once, when they read
 * none): e.g. a Map over `[{ name: "orders", jobName: … }, …]` gives one task per domain.
 */
export function resolvedTasks(definition: any): ResolvedTask[] {
    const objects = literalObjects(definition?.States);
    const out: ResolvedTask[] = [];
    for (const [state, task] of taskStates(definition?.States)) {
        const parameters: Record<string, unknown> = task.Parameters ?? task.Arguments ?? {};
        const dynamic = Object.entries(parameters).filter(([k, v]) => k.endsWith(".$") && typeof v === "string") as [string, string][];
        const parent = dynamic.flatMap(([, v]) => itemParents(v))[0];
        const keys = dynamic.flatMap(([, v]) => [...v.matchAll(/\$\.[A-Za-z0-9_.]+/g)].map((m) => splitPath(m[0])).filter((p) => p.parent === parent).map((p) => p.key));
        const items = parent ? objects.filter((o) => keys.every((k) => typeof o[k] === "string")) : [undefined];
        for (const item of items.length > 0 ? items : [undefined]) {
            const resolved: Record<string, unknown> = {};
            for (const [key, value] of Object.entries(parameters)) {
                if (key.endsWith(".$") && typeof value === "string") resolved[key.slice(0, -2)] = render(value, item, parent) ?? `<${value}>`;
                else resolved[key] = value;
            }
            out.push({ state, resource: String(task.Resource), parameters: resolved, item: typeof item?.name === "string" ? item.name : undefined });
        }
    }
    return out;
}

/** A `COPY … FROM '<path>' … IAM_ROLE '<arn>'` (or UNLOAD … TO) in a statement's SQL. */
export interface CopyStatement {
    kind: "copy" | "unload";
    table?: string;
    /** `s3://…` source (COPY) or target (UNLOAD); `<$.path>` placeholders where the execution decides. */
    path: string;
    iamRole?: string;
    manifest: boolean;
}

/** The COPY and UNLOAD statements of a SQL text. */
export function copyStatements(sql: string): CopyStatement[] {
    const out: CopyStatement[] = [];
    for (const statement of sql.split(/;\s*/)) {
        const role = /IAM_ROLE\s+'([^']+)'/i.exec(statement)?.[1];
        const copy = /\bCOPY\s+([^\s(]+)(?:\s*\([^)]*\))?\s+FROM\s+'([^']+)'/i.exec(statement);
        if (copy) out.push({ kind: "copy", table: copy[1], path: copy[2], iamRole: role, manifest: /\bMANIFEST\b/i.test(statement) });
        const unload = /\bUNLOAD\s*\(.*\)\s*TO\s+'([^']+)'/is.exec(statement);
        if (unload) out.push({ kind: "unload", path: unload[1], iamRole: role, manifest: /\bMANIFEST\b/i.test(statement) });
    }
    return out;
}

/** The prefix of a path up to its first placeholder, and the partition keys (`key=`) after it, in order. */
export function pathLayout(path: string): { root: string; partitionKeys: string[] } {
    const placeholder = path.indexOf("<");
    const head = placeholder < 0 ? path : path.slice(0, placeholder);
    const root = head.slice(0, head.lastIndexOf("/") + 1);
    const rest = path.slice(root.length);
    return { root, partitionKeys: [...rest.matchAll(/([A-Za-z0-9_]+)=/g)].map((m) => m[1]) };
}
