import * as assert from "node:assert/strict";
import { progress } from "../../../cli/report/progress";

const stream = (isTTY: boolean) => {
    const writes: string[] = [];
    return { isTTY, writes, write: (text: string) => writes.push(text) };
};
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the progress line", () => {
    it("appears on a terminal once a step outlasts the delay, without colour, and is cleared at the end", async () => {
        const tty = stream(true);
        const done = progress("Planning", tty, 20, 10);
        await wait(60);
        done();
        const ERASE = "\r\u001b[K";
        assert.ok(tty.writes.some((w) => w.startsWith(ERASE) && /^Planning… \d+ s$/.test(w.slice(ERASE.length))), tty.writes.join("|"));
        assert.equal(tty.writes.at(-1), "\r\x1b[K");
        const COLOUR = new RegExp(`${String.fromCharCode(27)}\\[\\d+(;\\d+)*m`);
        assert.ok(!tty.writes.some((w) => COLOUR.test(w)), "no colour codes");
    });

    it("stays silent for a quick step, and always when stderr is not a terminal", async () => {
        const quick = stream(true);
        progress("Planning", quick, 50)();
        const piped = stream(false);
        const done = progress("Planning", piped, 1, 1);
        await wait(20);
        done();
        assert.deepEqual([quick.writes, piped.writes], [[], []]);
    });
});
