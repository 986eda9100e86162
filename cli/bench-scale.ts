/**
 * `npm run bench:scale -- [--domains 2,10,100,300] [--from prod] [--runs 1]`
 *
 * How the offline plan grows with the domain count: for each count, an environment generated from
 * a shipped one (`npm run scale-env`, cli/lib/scaled-environment.ts) is planned exactly as
 * `npm run plan` plans it (program, policy pack, cost, verifier, report), and its wall-clock time,
 * the plan process's peak resident memory (Linux: VmHWM) and its resources are reported, with the
 * least-squares cost per domain and the cost per domain between each two counts (equal when the
 * growth is linear). Benchmarks are not tests: tests/cli/bench-scale.test.ts checks the arithmetic.
 * Exit codes: 0 measured, 1 bad arguments or a plan that failed.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import { median } from "./bench";
import { parseArgs } from "./lib/args";
import { runCommand } from "./lib/exit";
import { scaledEnvironment } from "./lib/scaled-environment";
import { readEnvironment, writeEnvironment } from "./scale-env";

const ROOT = path.resolve(__dirname, "..");
const TSX_LOADER = pathToFileURL(path.join(path.dirname(require.resolve("tsx/package.json")), "dist", "loader.mjs")).href;

interface ScaleBenchOptions {
    domains: number[];
    from: string;
    runs: number;
}

/** One count's measurement (medians over the runs). */
export interface ScalePoint {
    domains: number;
    resources: number;
    seconds: number;
    /** Peak resident memory of the plan process, in MB; undefined where the platform does not say. */
    peakMb?: number;
}

/** Least-squares line through the points: seconds (and MB) per domain, and at zero domains. */
export function linearFit(xs: number[], ys: number[]): { slope: number; intercept: number } {
    const n = xs.length;
    const mx = xs.reduce((a, b) => a + b, 0) / n;
    const my = ys.reduce((a, b) => a + b, 0) / n;
    const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    const slope = sxx === 0 ? 0 : xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / sxx;
    return { slope, intercept: my - slope * mx };
}

/** The cost per added domain between each two consecutive counts. */
export function marginalCosts(points: ScalePoint[], value: (p: ScalePoint) => number): number[] {
    return points.slice(1).map((p, i) => (value(p) - value(points[i])) / (p.domains - points[i].domains));
}

const countList = (value: string): number[] => {
    const counts = value.split(",").map((v) => v.trim());
    if (counts.some((c) => !/^[1-9]\d*$/.test(c))) throw new InvalidArgumentError(`got "${value}"; expected whole numbers separated by commas, e.g. 2,10,100,300`);
    return [...new Set(counts.map(Number))].sort((a, b) => a - b);
};
const positive = (value: string): number => {
    if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError(`got "${value}"; expected a whole number of at least 1`);
    return Number(value);
};

/** The bench's command line. */
export function benchScaleCommand(): Command {
    return new Command("bench:scale")
        .description("Plan generated environments of growing domain counts: wall-clock time, peak memory and resources per count, and the cost per domain.")
        .option("-d, --domains <list>", "domain counts, comma-separated (at least the base environment's own count)", countList, [2, 10, 100, 300])
        .option("--from <env>", "the shipped environment the domains are generated from", "prod")
        .option("-r, --runs <n>", "plans per count (the median is reported)", positive, 1)
        .showHelpAfterError()
        .exitOverride();
}

/** Plans one generated environment; its wall-clock seconds and the plan process's peak memory. */
function planOnce(stackFile: string, policyConfig: string, name: string, json: string): Promise<{ seconds: number; peakMb?: number }> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        // The plan itself is the spawned process (tsx as a loader), so its own memory is read.
        const child = spawn(process.execPath, ["--import", TSX_LOADER, "cli/plan.ts", "--stack", name, "--config-file", stackFile, "--policy-config", policyConfig, "--json", json], {
            cwd: ROOT,
            stdio: ["ignore", "ignore", "pipe"],
        });
        let peakKb: number | undefined;
        const status = `/proc/${child.pid}/status`;
        const sample = () => {
            try {
                const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(status, "utf8"));
                if (match) peakKb = Number(match[1]);
            } catch {
                // Not Linux, or the process has ended.
            }
        };
        const timer = setInterval(sample, 250);
        let stderr = "";
        child.stderr.on("data", (d) => {
            stderr += String(d);
        });
        child.on("error", reject);
        child.on("exit", (code) => {
            clearInterval(timer);
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            if (code === 0 || code === 2) resolve({ seconds, peakMb: peakKb === undefined ? undefined : peakKb / 1024 });
            else reject(new Error(`the plan of ${name} exited with ${code}: ${stderr.trim().split("\n").slice(-3).join(" / ")}`));
        });
    });
}

async function main(argv: string[]): Promise<number> {
    const parsed = parseArgs<ScaleBenchOptions>(benchScaleCommand(), argv);
    if ("exitCode" in parsed) return parsed.exitCode;
    const { domains, from, runs } = parsed.options;
    const base = readEnvironment(from);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lakehouse-bench-scale-"));
    try {
        const points: ScalePoint[] = [];
        process.stdout.write(`Plans of environments generated from ${from}, ${runs} run(s) per count:\n`);
        for (const count of domains) {
            const name = `scale${count}`;
            const files = writeEnvironment(scaledEnvironment(base, { name, domains: count }), name, path.join(dir, name));
            const json = path.join(dir, `${name}.json`);
            const measured: { seconds: number; peakMb?: number }[] = [];
            for (let i = 0; i < runs; i++) measured.push(await planOnce(files.stackFile, files.policyConfig, name, json));
            const resources = (JSON.parse(fs.readFileSync(json, "utf8")) as { resources: unknown[] }).resources.length;
            const peaks = measured.map((m) => m.peakMb).filter((m): m is number => m !== undefined);
            const point: ScalePoint = { domains: count, resources, seconds: median(measured.map((m) => m.seconds)), peakMb: peaks.length ? median(peaks) : undefined };
            points.push(point);
            process.stdout.write(`  ${String(count).padStart(4)} domains: ${String(resources).padStart(6)} resources, ${point.seconds.toFixed(1).padStart(6)} s, ${point.peakMb === undefined ? "peak memory n/a" : `${point.peakMb.toFixed(0)} MB peak`}\n`);
        }
        if (points.length >= 2) {
            const time = linearFit(
                points.map((p) => p.domains),
                points.map((p) => p.seconds),
            );
            process.stdout.write(`per domain (least squares): ${time.slope.toFixed(2)} s`);
            if (points.every((p) => p.peakMb !== undefined)) {
                const memory = linearFit(
                    points.map((p) => p.domains),
                    points.map((p) => p.peakMb!),
                );
                process.stdout.write(`, ${memory.slope.toFixed(1)} MB`);
            }
            process.stdout.write(`\nper domain between counts: ${marginalCosts(points, (p) => p.seconds).map((s) => `${s.toFixed(2)} s`).join(", ")} (equal when linear)\n`);
        }
        return 0;
    } finally {
        // An error goes to runCommand, which reports it in one line and exits 1.
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

if (require.main === module) runCommand(main);
