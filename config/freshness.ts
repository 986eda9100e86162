/**
 * Freshness objectives: how old the newest data of a domain may be in the raw zone, the curated
 * zone and the warehouse before an alarm fires. Declared per domain in the stack file (so per
 * environment), defaulted from the load schedule, and checked here against what the schedule can
 * meet, so that an objective no run could satisfy is refused instead of alarming forever.
 */
import { runsPerMonth } from "../cost/schedule";
import { DAYS_PER_MONTH } from "../cost/prices";

/** Freshness as a domain declares it in the stack file (minutes), every field optional. */
export interface DeclaredFreshness {
    /** Newest raw-zone data may be this old. @default 60 */
    rawMinutes?: number;
    /** Newest curated-zone data may be this old. @default three load intervals */
    curatedMinutes?: number;
    /** Newest warehouse data may be this old. @default three load intervals */
    warehouseMinutes?: number;
    /** Fewer incoming records per minute than this, sustained, alarms. @default none (no floor) */
    minRecordsPerMinute?: number;
}

/** A domain's resolved objectives, in seconds, with the window each is measured over. */
export interface FreshnessObjective {
    /** Newest raw data may be this old: some record must reach the raw zone within it. */
    rawSeconds: number;
    /** Newest curated data may be this old. */
    curatedSeconds: number;
    /** Newest warehouse data may be this old. */
    warehouseSeconds: number;
    /**
     * The curated and warehouse alarms look at this window (two load intervals, so one late run
     * does not alarm) and alarm when no run within it published an age below `objective − window`:
     * data that age, plus at most one window, stays within the objective.
     */
    windowSeconds: number;
    /** Incoming records per minute below which the domain alarms (sustained 30 minutes). */
    minRecordsPerMinute?: number;
}

/** Firehose's longest buffer interval is 900 s: a raw objective below two of them could not be met. */
export const MIN_RAW_MINUTES = 30;
/** CloudWatch evaluates an alarm over at most one day (the schema also bounds rawMinutes by it). */
const MAX_WINDOW_SECONDS = 86_400;
/** Default raw objective. */
const DEFAULT_RAW_MINUTES = 60;

/** Average seconds between two runs of a schedule, or undefined when it never runs. */
export function averageIntervalSeconds(schedule: string): number | undefined {
    const runs = runsPerMonth(schedule);
    return runs ? (DAYS_PER_MONTH * 86_400) / runs : undefined;
}

/** The window the curated and warehouse objectives are measured over: two load intervals, whole minutes, at most a day. */
export function freshnessWindowSeconds(loadIntervalSeconds: number): number {
    return Math.min(MAX_WINDOW_SECONDS, Math.ceil((2 * loadIntervalSeconds) / 60) * 60);
}

/**
 * How the load gets round the domains: each execution handles `maxConcurrentDomains` at a time,
 * each for about `jobMinutes` (its job, then its loads), so a domain late in the list is reached
 * `ceil(domains / maxConcurrentDomains) × jobMinutes` after the execution starts.
 */
export interface LoadTurns {
    domains: number;
    maxConcurrentDomains: number;
    jobMinutes: number;
}

/**
 * Seconds between two loads of the same domain: the schedule's interval, or longer when one
 * execution takes longer to get round every domain (the next execution then finds the domains
 * still locked and skips them).
 */
export function loadCycleSeconds(intervalSeconds: number, turns?: LoadTurns): number {
    if (!turns) return intervalSeconds;
    return Math.max(intervalSeconds, Math.ceil(turns.domains / turns.maxConcurrentDomains) * turns.jobMinutes * 60);
}

/**
 * Resolves a domain's objectives from what it declares, the load schedule and how long the load
 * takes to get round every domain. Returns the objectives, or one problem per key that cannot be
 * met (path relative to the domain, with the value and what is allowed).
 */
export function resolveFreshness(
    declared: DeclaredFreshness | undefined,
    schedule: string,
    turns?: LoadTurns,
): { objective?: FreshnessObjective; problems: { key: string; value: number; message: string }[] } {
    const scheduled = averageIntervalSeconds(schedule);
    const problems: { key: string; value: number; message: string }[] = [];
    if (scheduled === undefined) return { problems };
    const interval = loadCycleSeconds(scheduled, turns);
    const pace =
        interval > scheduled && turns
            ? `with ${turns.domains} domains, ${turns.maxConcurrentDomains} at a time and about ${turns.jobMinutes} minutes each, the load reaches each domain about every ${Math.round(interval / 60)} minutes and the objective is measured over two of them; raise lakehouse:orchestration.maxConcurrentDomains or relax the objective`
            : `the load runs about every ${Math.round(interval / 60)} minutes and the objective is measured over two runs; run the load more often or relax the objective`;
    const window = freshnessWindowSeconds(interval);
    const defaultMinutes = Math.ceil((3 * interval) / 60);
    const rawMinutes = declared?.rawMinutes ?? DEFAULT_RAW_MINUTES;
    const curatedMinutes = declared?.curatedMinutes ?? Math.max(defaultMinutes, Math.ceil(window / 60) + 1);
    const warehouseMinutes = declared?.warehouseMinutes ?? Math.max(defaultMinutes, Math.ceil(window / 60) + 1);
    if (rawMinutes < MIN_RAW_MINUTES) {
        problems.push({ key: "freshness.rawMinutes", value: rawMinutes, message: `expected at least ${MIN_RAW_MINUTES} (two of Firehose's longest buffer intervals)` });
    }
    for (const [key, minutes] of [
        ["freshness.curatedMinutes", curatedMinutes],
        ["freshness.warehouseMinutes", warehouseMinutes],
    ] as const) {
        if (minutes * 60 <= window) {
            problems.push({
                key,
                value: minutes,
                message: `expected more than ${window / 60}: ${pace}`,
            });
        }
    }
    if (declared?.curatedMinutes !== undefined && declared.warehouseMinutes !== undefined && declared.warehouseMinutes < declared.curatedMinutes) {
        problems.push({ key: "freshness.warehouseMinutes", value: declared.warehouseMinutes, message: `expected at least curatedMinutes (${declared.curatedMinutes}): the warehouse loads from the curated zone` });
    }
    if (problems.length) return { problems };
    return {
        objective: {
            rawSeconds: rawMinutes * 60,
            curatedSeconds: curatedMinutes * 60,
            warehouseSeconds: warehouseMinutes * 60,
            windowSeconds: window,
            minRecordsPerMinute: declared?.minRecordsPerMinute,
        },
        problems,
    };
}
