import { allRecorded, deployedByTests, resolved } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { LakehousePlatform } from "../../../components/platform";
import { ConfigError, parseStackConfig } from "../../../config/loader";
import { LONGEST_DOMAIN, LONGEST_ENVIRONMENT, NAME_LIMITS } from "../../../lib/naming";

/** The dev stack with the longest environment and Region name, and domain names padded to `domainLength`. */
function longestConfig(domainLength: number): Record<string, unknown> {
    const pad = (name: string) => `${name}_`.padEnd(domainLength, "x");
    const text = fs
        .readFileSync(path.resolve(__dirname, "../../../stacks/Pulumi.dev.yaml"), "utf8")
        .replace(/\bclickstream\b/g, pad("clickstream"))
        .replace(/\borders\b/g, pad("orders"));
    const config = parseYaml(text).config as Record<string, any>;
    config["lakehouse:environment"] = "e".repeat(LONGEST_ENVIRONMENT);
    config["aws:region"] = "ap-southeast-2";
    // dev's pinned zone ids are eu-west-1's: the Region's own are chosen.
    delete config["lakehouse:network"].availabilityZoneIds;
    config["lakehouse:protection"] = { protect: false, removeDataOnDestroy: false };
    return config;
}

const valueAt = (inputs: Record<string, any>, property: string) => property.split(".").reduce((v: any, k) => v?.[k], inputs);

/** The longest domain names the schema accepts with the longest environment name. */
function longestAccepted(): { config: ReturnType<typeof parseStackConfig>; length: number } {
    for (let length = LONGEST_DOMAIN; length >= 2; length--) {
        try {
            return { config: parseStackConfig(longestConfig(length)), length };
        } catch (err) {
            if (!(err instanceof ConfigError)) throw err;
        }
    }
    throw new Error("no domain length is accepted");
}

describe("physical names at the schema's maxima", () => {
    it("the schema refuses a domain whose names cannot fit, naming the key, the name and the limit", () => {
        assert.throws(
            () => parseStackConfig(longestConfig(LONGEST_DOMAIN)),
            (err: ConfigError) =>
                err.lines.some((line) =>
                    /^lakehouse:domains\[0\]\.name: got "clickstream_x+"; expected a shorter name: the Firehose delivery role lakehouse-e{15}-firehose-clickstream_x+ would be 66 characters \(AWS allows 64\)/.test(line),
                ),
        );
    });

    it("every name the platform creates fits its AWS limit with the longest environment and domain names accepted", async () => {
        const { config, length } = longestAccepted();
        assert.ok(length >= 25, `domains of ${length} characters`);
        const platform = new LakehousePlatform("longest", { config: deployedByTests(config) });
        await resolved(platform.urn);
        const recorded = (await allRecorded()).filter((r) => r.name.startsWith(`lakehouse-${"e".repeat(LONGEST_ENVIRONMENT)}`) || String(r.inputs.bucket ?? "").includes("e".repeat(LONGEST_ENVIRONMENT)));
        assert.ok(recorded.length > 150);
        const checked = new Set<string>();
        const tooLong: string[] = [];
        for (const r of recorded) {
            const rule = NAME_LIMITS[r.type];
            if (!rule) continue;
            const name = valueAt(r.inputs, rule.property);
            if (typeof name !== "string") continue;
            checked.add(r.type);
            if (name.length > rule.limit) tooLong.push(`${r.type} ${name} (${name.length} > ${rule.limit})`);
        }
        assert.deepEqual(tooLong, []);
        assert.ok(checked.size >= 25, `checked ${checked.size} types`);
    });
});
