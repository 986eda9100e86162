/**
 * EventBridge schedule expressions, checked offline as AWS would check them on create:
 * `rate(<value> <unit>)` (singular unit for 1, plural otherwise) and
 * `cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)` with the ranges,
 * wildcards and the rule that one of the two day fields is `?`.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface Field {
    name: string;
    min: number;
    max: number;
    names?: string[];
    /** Special characters the field accepts besides `, - * /`. */
    specials: string;
}

const FIELDS: Field[] = [
    { name: "minutes", min: 0, max: 59, specials: "" },
    { name: "hours", min: 0, max: 23, specials: "" },
    { name: "day-of-month", min: 1, max: 31, specials: "?LW" },
    { name: "month", min: 1, max: 12, names: MONTHS, specials: "" },
    { name: "day-of-week", min: 1, max: 7, names: DAYS, specials: "?L#" },
    { name: "year", min: 1970, max: 2199, specials: "" },
];

/** Why the value of one cron field is invalid, or undefined. */
function fieldProblem(field: Field, text: string): string | undefined {
    const range = `${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ""}`;
    if (text === "*" || (text === "?" && field.specials.includes("?"))) return undefined;
    if (field.name === "day-of-month" && /^(L|LW|\d{1,2}W|L-\d{1,2})$/.test(text)) return undefined;
    if (field.name === "day-of-week" && /^(\d|[A-Z]{3})(L|#[1-5])$/.test(text)) return undefined;
    const value = (v: string): number | undefined => {
        const upper = v.toUpperCase();
        const named = field.names?.indexOf(upper);
        if (named !== undefined && named >= 0) return named + 1;
        return /^\d+$/.test(v) ? Number(v) : undefined;
    };
    for (const part of text.split(",")) {
        const [base, step] = part.split("/");
        if (step !== undefined && !/^\d+$/.test(step)) return `${field.name} "${text}" has an invalid step "${step}"`;
        if (base === "*" && step !== undefined) continue;
        const bounds = base.split("-");
        if (bounds.length > 2) return `${field.name} "${text}" is not a value, range or list`;
        for (const bound of bounds) {
            const n = value(bound);
            if (n === undefined || n < field.min || n > field.max) return `${field.name} "${text}" is outside ${range}`;
        }
    }
    return undefined;
}

/** Why an EventBridge schedule expression would be refused, or undefined when it is valid. */
export function scheduleProblem(expression: string): string | undefined {
    const text = expression.trim();
    const rate = /^rate\((\d+) ([a-z]+)\)$/.exec(text);
    if (rate) {
        const amount = Number(rate[1]);
        const unit = rate[2];
        if (amount < 1) return "a rate must be at least 1";
        const units = ["minute", "hour", "day"];
        const singular = unit.replace(/s$/, "");
        if (!units.includes(singular)) return `rate unit "${unit}" is not minute(s), hour(s) or day(s)`;
        if (amount === 1 && unit !== singular) return `rate(1 ${unit}) must be rate(1 ${singular})`;
        if (amount > 1 && unit === singular) return `rate(${amount} ${unit}) must be rate(${amount} ${unit}s)`;
        return undefined;
    }
    const cron = /^cron\((.*)\)$/.exec(text);
    if (!cron) return "expected rate(<value> <unit>) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)";
    const parts = cron[1].trim().split(/\s+/);
    if (parts.length !== 6) return `cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`;
    for (const [i, field] of FIELDS.entries()) {
        const problem = fieldProblem(field, parts[i]);
        if (problem) return problem;
    }
    if ((parts[2] === "?") === (parts[4] === "?")) return "one of day-of-month and day-of-week must be ?, and only one";
    return undefined;
}
