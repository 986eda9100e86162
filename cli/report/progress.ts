/**
 * A progress line on stderr for steps that take more than a second, so a person at a terminal
 * sees the plan is working. Silent when stderr is not a terminal (CI logs, pipes), and it uses no
 * colour, so NO_COLOR holds; the line is cleared when the step ends.
 */
export interface ProgressStream {
    isTTY?: boolean;
    write(text: string): unknown;
}

export function progress(label: string, stream: ProgressStream = process.stderr, afterMs = 1000, everyMs = 500): () => void {
    if (!stream.isTTY) return () => undefined;
    const started = Date.now();
    let shown = false;
    const show = () => {
        shown = true;
        stream.write(`\r\x1b[K${label}… ${Math.round((Date.now() - started) / 1000)} s`);
    };
    let timer: NodeJS.Timeout = setTimeout(function tick() {
        show();
        timer = setTimeout(tick, everyMs);
    }, afterMs);
    timer.unref?.();
    return () => {
        clearTimeout(timer);
        if (shown) stream.write("\r\x1b[K");
    };
}
