import * as assert from "node:assert/strict";
import * as path from "node:path";
import { parseStackConfig, readStackFile } from "../../config/loader";
import { DAYS_PER_MONTH } from "../../cost/prices";
import { DEFAULT_MSK_SERVERLESS_PARTITIONS_PER_TOPIC, declaredLoadUsage } from "../../cost/usage";

const config = (stack: string) => parseStackConfig(readStackFile(path.resolve(__dirname, `../../stacks/Pulumi.${stack}.yaml`)));

describe("declaredLoadUsage", () => {
    it("derives each Kinesis stream's and delivery's volume from its domain's declared load, by physical name", () => {
        const prod = config("prod");
        const usage = declaredLoadUsage(prod);
        for (const domain of prod.domains.filter((d) => d.transport === "kinesis")) {
            const stream = usage.streams![`lakehouse-prod-${domain.name}`];
            assert.equal(stream.gbPerMonth, domain.dailyVolumeGb * DAYS_PER_MONTH);
            assert.equal(stream.recordsPerMonth, ((domain.dailyVolumeGb * 1e9) / domain.averageEventBytes) * DAYS_PER_MONTH);
            assert.equal(stream.consumers, domain.consumers);
            assert.equal(usage.firehoses![`lakehouse-prod-${domain.name}-to-raw`].gbPerMonth, domain.dailyVolumeGb * DAYS_PER_MONTH);
        }
        assert.equal(Object.keys(usage.streams!).length, prod.domains.filter((d) => d.transport === "kinesis").length);
    });

    it("sizes MSK Serverless from the MSK domains unless the usage profile says otherwise, and keeps the profile's other usage", () => {
        const dev = config("dev");
        const msk = dev.domains.filter((d) => d.transport === "msk");
        assert.ok(msk.length > 0, "dev declares an MSK domain");
        const derived = declaredLoadUsage({ ...dev, cost: { ...dev.cost, usage: { ...dev.cost.usage, mskServerless: undefined, natGbPerMonth: 42 } } });
        // Billed partitions are the ones the stack creates for each topic, sized from the declared peak.
        assert.equal(derived.mskServerless!.partitions, msk.reduce((sum, d) => sum + dev.sizes.topics[d.name].partitions, 0));
        assert.ok(derived.mskServerless!.partitions >= DEFAULT_MSK_SERVERLESS_PARTITIONS_PER_TOPIC);
        const busier = Object.fromEntries(msk.map((d) => [d.name, { ...dev.sizes.topics[d.name], partitions: 24 }]));
        const resized = declaredLoadUsage({ ...dev, sizes: { ...dev.sizes, topics: busier }, cost: { ...dev.cost, usage: { ...dev.cost.usage, mskServerless: undefined } } });
        assert.equal(resized.mskServerless!.partitions, 24 * msk.length, "a busier topic is billed for its partitions");
        assert.equal(derived.mskServerless!.gbInPerMonth, msk.reduce((sum, d) => sum + d.dailyVolumeGb * DAYS_PER_MONTH, 0));
        assert.equal(derived.mskServerless!.gbOutPerMonth, msk.reduce((sum, d) => sum + d.dailyVolumeGb * DAYS_PER_MONTH * d.consumers, 0));
        assert.equal(derived.natGbPerMonth, 42);
        const given = { partitions: 3, storedGb: 1, gbInPerMonth: 2, gbOutPerMonth: 4 };
        assert.deepEqual(declaredLoadUsage({ ...dev, cost: { ...dev.cost, usage: { ...dev.cost.usage, mskServerless: given } } }).mskServerless, given);
    });
});
