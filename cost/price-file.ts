import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { type Price, PRICES } from "./prices";

/** Every item key the catalog prices in some Region: the keys a price file may set. */
export function catalogKeys(): Set<string> {
    return new Set(Object.values(PRICES).flatMap((byKey) => Object.keys(byKey)));
}

/** The unit the catalog prices an item in (the same in every Region). */
function catalogUnit(key: string): string | undefined {
    for (const byKey of Object.values(PRICES)) if (byKey[key]) return byKey[key].unit;
    return undefined;
}

const entrySchema = z.strictObject({
    usd: z.number({ error: "expected a price in USD (a number)" }).nonnegative({ error: "expected a price of 0 or more" }),
    unit: z.string({ error: "expected the unit the price is per" }),
    source: z.string({ error: "expected where the price comes from (e.g. an agreement's reference)" }).min(1, { error: "expected where the price comes from" }),
});
const fileSchema = z.strictObject({ prices: z.record(z.string(), entrySchema, { error: "expected a mapping of price keys" }) }, { error: "expected a top-level \"prices:\" mapping" });

/**
 * A team's price file (`lakehouse:cost.priceFile`, JSON or YAML): prices that replace or add to the
 * catalog's, e.g. negotiated rates or a Region the catalog lacks.
 *   prices:
 *     nat.hour: { usd: 0.041, unit: gateway-hour, source: "EDP 2026 appendix B" }
 * Keys and units must be the catalog's, so a typo cannot silently leave an item at list price.
 * Returns the prices, or one line per problem.
 */
export function readPriceFile(file: string, baseDir = process.cwd()): { prices?: Record<string, Price>; errors: string[] } {
    const resolved = path.resolve(baseDir, file);
    if (!fs.existsSync(resolved)) return { errors: [`${file}: no such price file`] };
    let document: unknown;
    try {
        document = parseYaml(fs.readFileSync(resolved, "utf8"));
    } catch (err) {
        return { errors: [`${file}: not valid JSON or YAML (${(err as Error).message.split("\n")[0]})`] };
    }
    const parsed = fileSchema.safeParse(document);
    if (!parsed.success) {
        return { errors: parsed.error.issues.map((i) => `${file}: ${i.path.join(".") || "(file)"}: ${i.message}`) };
    }
    const keys = catalogKeys();
    const errors: string[] = [];
    const prices: Record<string, Price> = {};
    for (const [key, entry] of Object.entries(parsed.data.prices)) {
        if (!keys.has(key)) {
            errors.push(`${file}: prices.${key}: no such item in the price catalog (e.g. nat.hour, kinesis.shard-hour)`);
            continue;
        }
        const unit = catalogUnit(key);
        if (unit !== entry.unit) {
            errors.push(`${file}: prices.${key}.unit: got "${entry.unit}"; expected "${unit}", the unit the catalog prices it in`);
            continue;
        }
        prices[key] = { usd: entry.usd, unit: entry.unit, confidence: "A", source: entry.source };
    }
    return errors.length ? { errors } : { prices, errors };
}
