import * as assert from "node:assert/strict";
import { renderPlanMarkdown } from "../../../cli/report/markdown";
import { planJson } from "../../helpers/run-cli";

describe("the plan as a pull-request comment (--format markdown)", () => {
    it("gives resources by component, the policy verdict with every finding, and the cost difference to a base plan", () => {
        const staging = planJson("staging").doc;
        const dev = planJson("dev").doc;
        const md = renderPlanMarkdown(staging, dev);
        assert.match(md, /^## Offline plan: lakehouse\/staging$/m);
        assert.match(md, /^\| lakehouse-staging \(PlatformVpc\) \| \d+ \| .*aws\.ec2\.Vpc × 1/m);
        assert.match(md, /^### Policies: ✅ no mandatory violation, \d+ advisory findings$/m);
        const findings = md.split("\n").filter((l) => /^\| advisory \| `/.test(l));
        assert.equal(findings.length, staging.policies!.summary.advisory, "every finding is listed, not only the first per policy");
        assert.match(md, /^### Cost: \$[\d,.]+ per month of a \$3,000\.00 budget \(\d+ %\)$/m);
        assert.match(md, /^Difference to lakehouse\/dev: \+\$[\d,.]+ \(\$[\d,.]+ → \$[\d,.]+\)\.$/m);
        assert.match(md, /^\| <env>-etl \(lakehouse:etl:SparkEtlJobs\) \| \$[\d,.]+ \| \$[\d,.]+ \| \+\$[\d,.]+ \|$/m);
        assert.match(renderPlanMarkdown(dev), /^\| Top cost driver \| Resource \| Monthly \|$/m, "without a base, the top drivers");
    });
});
