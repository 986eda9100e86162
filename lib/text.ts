/** Plain-text helpers for reports that must read well in a terminal and a pull request. */

/** Width every human-readable report fits in. */
export const REPORT_WIDTH = 100;

/** `1 resource`, `2 resources`; an irregular plural may be given. */
export function plural(count: number, noun: string, many = `${noun}s`): string {
    return `${count.toLocaleString("en-US")} ${count === 1 ? noun : many}`;
}

/**
 * Wraps text at word boundaries to `width` columns; continuation lines start with `indent`. A word
 * longer than a line is cut, so no line is ever wider than `width`.
 */
export function wrap(text: string, width = REPORT_WIDTH, indent = "", firstIndent = indent): string[] {
    const lines: string[] = [];
    let current = firstIndent;
    let empty = true;
    for (const word of text.split(/\s+/).filter(Boolean)) {
        const room = width - current.length - (empty ? 0 : 1);
        if (word.length <= room) {
            current += (empty ? "" : " ") + word;
            empty = false;
            continue;
        }
        if (!empty) {
            lines.push(current);
            current = indent;
            empty = true;
        }
        let rest = word;
        while (rest.length > width - current.length) {
            const cut = width - current.length;
            lines.push(current + rest.slice(0, cut));
            rest = rest.slice(cut);
            current = indent;
        }
        current += rest;
        empty = rest.length === 0;
    }
    if (!empty || lines.length === 0) lines.push(current);
    return lines;
}

/** One line, cut to `width` with an ellipsis when longer. */
export function clip(text: string, width = REPORT_WIDTH): string {
    return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** A short, readable type: `aws:kms/alias:Alias` → `aws.kms.Alias`, `lakehouse:lake:DataLake` → `DataLake`. */
export function shortType(type: string): string {
    const [pkg, module, name] = type.split(":");
    if (name === undefined) return type;
    if (pkg === "aws" || pkg === "awsx" || pkg === "random") return `${pkg}.${module.split("/")[0]}.${name}`;
    return name;
}

/** A size in bytes, for outputs too large to print. */
export function bytes(n: number): string {
    return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${Math.round(n / 102.4) / 10} KB` : `${Math.round(n / 104857.6) / 10} MB`;
}
