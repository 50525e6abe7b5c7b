"""The table of a bench run, and docs/benchmarks.md."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.load import Result

MARK = "<!-- bench:table -->"
END = "<!-- /bench:table -->"


@dataclass
class Row:
    case: str
    measured: str
    baseline: str
    ratio: float | None
    target: str
    met: bool | None
    raw: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def figures(result: Result) -> str:
        return (
            f"{result.rps:,.0f} req/s, p50 {result.p50_ms:.1f} ms, "
            f"p99 {result.p99_ms:.1f} ms"
            + (f", {result.errors} errors" if result.errors else "")
        )

    @classmethod
    def throughput(
        cls,
        case: str,
        app: Result,
        bare: Result,
        minimum: float | None,
        note: str = "",
    ) -> "Row":
        ratio = app.rps / bare.rps if bare.rps else 0.0
        ok = None if minimum is None else ratio >= minimum and not app.errors
        return cls(
            case,
            cls.figures(app),
            cls.figures(bare),
            ratio,
            f"≥ {minimum}× throughput" if minimum is not None else note,
            ok,
            {"app": vars(app), "baseline": vars(bare)},
        )

    @classmethod
    def queue(
        cls, case: str, app: Result, bare: Result, rps: float, minimum: float
    ) -> "Row":
        """A page with a floor of its own (requests a second) besides its ratio
        to its queries run raw: both must hold."""
        row = cls.throughput(case, app, bare, minimum)
        row.target = f"≥ {rps:g} req/s and ≥ {minimum}× throughput"
        row.met = bool(row.met) and app.rps >= rps
        return row

    @classmethod
    def dashboard(
        cls,
        small: Result,
        naive_small: Result,
        big: Result,
        naive_big: Result,
        counts: dict[str, int],
    ) -> list["Row"]:
        n_small, n_big = f"{counts['50k']:,}", f"{counts['5m']:,}"
        growth = big.p50_ms / small.p50_ms if small.p50_ms else 0.0
        versus = big.p50_ms / naive_big.p50_ms if naive_big.p50_ms else 0.0
        return [
            cls(
                f"dashboard summary (API), {n_small} dossiers",
                cls.figures(small),
                "naive GROUP BY: " + cls.figures(naive_small),
                small.p50_ms / naive_small.p50_ms if naive_small.p50_ms else 0.0,
                "(reference: time ratio)",
                None,
                {"app": vars(small), "baseline": vars(naive_small)},
            ),
            cls(
                f"dashboard summary, {n_big} vs {n_small} dossiers",
                cls.figures(big),
                f"itself at {n_small}: p50 {small.p50_ms:.1f} ms",
                growth,
                "≤ 1.5× time (p50)",
                growth <= 1.5 and not big.errors,
                {"app": vars(big), "baseline": vars(small)},
            ),
            cls(
                f"dashboard summary vs naive GROUP BY, {n_big}",
                f"p50 {big.p50_ms:.1f} ms",
                "naive GROUP BY: " + cls.figures(naive_big),
                versus,
                "≤ 0.1× time (p50)",
                versus <= 0.1 and not big.errors,
                {"app": vars(big), "baseline": vars(naive_big)},
            ),
        ]

    @classmethod
    def memory(cls, after_100: float, after_10k: float, requests: int) -> "Row":
        growth = after_10k / after_100 if after_100 else 0.0
        return cls(
            "web worker RSS, after 100 and after 10,000 requests",
            f"{after_10k:.0f} MB after {requests:,} requests",
            f"{after_100:.0f} MB after 100",
            growth,
            "≤ 1.2× growth",
            growth <= 1.2,
            {
                "after_100_mb": after_100,
                "after_10k_mb": after_10k,
                "requests": requests,
            },
        )

    @classmethod
    def rate(
        cls,
        case: str,
        unit: str,
        count: int,
        seconds: float,
        base_seconds: float,
        minimum: float | None,
        baseline_label: str,
    ) -> "Row":
        """`count` things in `seconds` against a baseline's `base_seconds`; with
        no `minimum`, the ratio is shown as information (no target)."""
        rate = count / seconds if seconds else 0.0
        base_rate = count / base_seconds if base_seconds else 0.0
        ratio = rate / base_rate if base_rate else 0.0
        return cls(
            case,
            f"{count:,} {unit} in {seconds:.1f} s ({rate:,.1f}/s)",
            f"{baseline_label}: {base_seconds:.1f} s ({base_rate:,.1f}/s)",
            ratio,
            f"≥ {minimum}× throughput" if minimum is not None else "(information)",
            ratio >= minimum if minimum is not None else None,
            {"count": count, "seconds": seconds, "baseline_seconds": base_seconds},
        )

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "Row":
        return cls(**raw)


def rows_from_json(out: str) -> list[Row]:
    """Every row a bench script printed, one JSON object a line (anything else
    it printed is skipped)."""
    return [
        Row.from_json(json.loads(line))
        for line in out.splitlines()
        if line.startswith("{")
    ]


def met_text(met: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "–"}[met]


def line(row: Row) -> str:
    ratio = f"{row.ratio:.2f}×" if row.ratio is not None else "–"
    return (
        f"{row.case}: {row.measured} | {row.baseline} | {ratio} "
        f"({row.target}: {met_text(row.met)})"
    )


def table(rows: list[Row]) -> str:
    out = [
        "| path | measured | bare baseline (same run) | ratio | target | met? |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = f"{row.ratio:.2f}×" if row.ratio is not None else "–"
        out.append(
            f"| {row.case} | {row.measured} | {row.baseline} | {ratio} | "
            f"{row.target} | {met_text(row.met)} |"
        )
    return "\n".join(out)


def write_docs(
    path: Path, info: dict[str, str], rows: list[Row], notes: dict[str, Any]
) -> None:
    """Replace the generated block of docs/benchmarks.md (the prose around it
    is kept)."""
    counts = notes.get("counts", {})
    prep = notes.get("prep", {})
    prep_text = (
        ", ".join(f"{k} built in {v:.0f} s" for k, v in prep.items())
        if prep
        else "all three reused"
    )
    block = "\n".join(
        [
            MARK,
            f"**Latest run:** commit `{info['commit']}`, {info['date']}.",
            "",
            f"**Machine:** {info['cpu']}, {info['cores']} cores, {info['ram']} RAM, "
            f"Linux {info['kernel']}, Python {info['python']}, PostgreSQL "
            f"{info['postgresql']}, Redis {info['redis']}. Load average "
            f"{info['load_before']} before the run, {info.get('load_after', '?')} "
            "after (other engineers' tests share the two cores).",
            "",
            "**Data:** "
            + ", ".join(f"{k}: {v:,} dossiers" for k, v in counts.items())
            + f"; {prep_text}. Whole run: "
            f"{notes.get('total_seconds', 0) / 60:.1f} min.",
            "",
            table(rows),
            END,
        ]
    )
    text = path.read_text() if path.exists() else ""
    if MARK in text and END in text:
        head, rest = text.split(MARK, 1)
        _old, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)
