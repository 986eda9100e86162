import { DAYS_PER_MONTH } from "./prices";

/**
 * How often an EventBridge schedule fires per month, for usage-driven costs (job runs, crawler runs,
 * state transitions). Supports rate(n unit) and cron expressions whose minute and hour fields are
 * `*`, a number, a list, a range or a step, with every day of the month and week; returns
 * undefined for anything else, so the caller shows "depends on usage" rather than guessing.
 */

const MINUTES = { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 } as const;

export function runsPerMonth(expression: string): number | undefined {
    const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
    if (rate) return (DAYS_PER_MONTH * 1440) / (Number(rate[1]) * MINUTES[rate[2] as keyof typeof MINUTES]);
    const cron = /^cron\((.+)\)$/.exec(expression.trim());
    if (!cron) return undefined;
    const [minute, hour, dayOfMonth, month, dayOfWeek] = cron[1].trim().split(/\s+/);
    const everyDay = (dayOfMonth === "*" || dayOfMonth === "?") && month === "*" && (dayOfWeek === "*" || dayOfWeek === "?");
    if (!everyDay) return undefined;
    const minutes = fieldCount(minute, 60);
    const hours = fieldCount(hour, 24);
    if (minutes === undefined || hours === undefined) return undefined;
    return minutes * hours * DAYS_PER_MONTH;
}

/** How many values a cron field selects out of `size`. */
function fieldCount(field: string, size: number): number | undefined {
    let count = 0;
    for (const part of field.split(",")) {
        const step = /^(\*|\d+-\d+)\/(\d+)$/.exec(part);
        if (part === "*") count += size;
        else if (/^\d+$/.test(part)) count += 1;
        else if (/^\d+-\d+$/.test(part)) {
            const [a, b] = part.split("-").map(Number);
            count += b - a + 1;
        } else if (step) {
            const [a, b] = step[1] === "*" ? [0, size - 1] : step[1].split("-").map(Number);
            count += Math.floor((b - a) / Number(step[2])) + 1;
        } else return undefined;
    }
    return count;
}
