"""Where one warm variant's check goes: the cost of each stage of ``Linter.check_text_result`` for
generated ad variants, and on how many variants each checker's pre-filter let its matcher run.

    python benchmarks/batch_costs.py                  # 5,000 variants (benchmarks/variants.py)
    python benchmarks/batch_costs.py --variants 20000

One process, one warm Linter (as each ``ethicslint batch`` worker has), the variants checked one
after the other as ``ethicslint batch`` checks them (``VariantChecker``), after a warm-up of 300.
Times are wall-clock per variant on an otherwise idle core: run it on a quiet machine. Stages:

- *cheap spaCy tier*: ``ethicslint.analysis.analyze`` (language choice, tokenizer, lookup lemmas,
  sentence boundaries); the blank tokenizer alone is timed apart, on the same texts, as the floor
  of any check that reads the copy with spaCy;
- *each checker*: its ``ethicslint_check_document`` and ``ethicslint_collect`` calls (the host's
  own timing of each plugin call);
- *the rest*: reading the text as a file, the copy kind, filtering, suppressions, the batch row.

"Matched on" is the share of variants on which a checker's term matcher ran at least once: those
its pre-filter (``docs/prefilter.md``) could not rule out. It answers whether a cheaper first
stage could skip most variants: only a variant no checker matches on could skip spaCy.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import variants as generated  # noqa: E402

from ethicslint import analysis  # noqa: E402
from ethicslint.batch.checking import LinterSpec, VariantChecker  # noqa: E402
from ethicslint.batch.readers import Variant  # noqa: E402
from ethicslint.host import Host  # noqa: E402
from ethicslint.matching import TermMatcher  # noqa: E402
from ethicslint.nlp import cheap_pipeline, normalize_for_nlp  # noqa: E402

WARM_UP = 300


class Costs:
    """What the wrapped stages add up while one variant is checked."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.matched_on: Counter[str] = Counter()  # checker -> variants its matcher ran on
        self.matched_on_any = 0  # variants on which some checker's matcher ran
        self._matched_now: set[str] = set()

    def variant_done(self) -> None:
        self.matched_on.update(self._matched_now)
        self.matched_on_any += bool(self._matched_now)
        self._matched_now = set()

    def wrap(self) -> None:
        costs = self
        analyze, check_document, collect, match = (analysis.analyze, Host.check_document, Host.collect,
                                                   TermMatcher.__call__)

        def timed_analyze(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return analyze(*args, **kwargs)
            finally:
                costs.seconds["cheap spaCy tier"] += time.perf_counter() - started

        def timed_check(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            outcome = check_document(self, *args, **kwargs)
            costs.seconds.update({_checker(name): s for name, s in outcome.seconds.items()})
            return outcome

        def timed_collect(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            summaries, outcome = collect(self, *args, **kwargs)
            costs.seconds.update({_checker(name): s for name, s in outcome.seconds.items()})
            return summaries, outcome

        def counted_match(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            costs._matched_now.add(_checker_of_terms(self.table.source))
            return match(self, *args, **kwargs)

        analysis.analyze = timed_analyze  # the runner imports it from the module at each call
        Host.check_document = timed_check  # type: ignore[method-assign]
        Host.collect = timed_collect  # type: ignore[method-assign]
        TermMatcher.__call__ = counted_match  # type: ignore[method-assign]


def _checker(plugin: str) -> str:
    return plugin.removeprefix("ethicslint_").replace("_", "-")


def _checker_of_terms(source: str) -> str:
    for part in Path(str(source)).parts:
        if part.startswith("ethicslint_"):
            return _checker(part)
    return "other terms"


def variants_of(count: int) -> list[Variant]:
    return [Variant(row=n, id=row["id"], text=row["text"], language=row["language"], kind=row["kind"],
                    metadata={"ai_generated": row["ai_generated"]})
            for n, row in enumerate(generated.rows(count), start=1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", type=int, default=5000)
    args = parser.parse_args()
    checker = VariantChecker(LinterSpec(root=str(Path.cwd())))
    warm, measured = variants_of(WARM_UP), variants_of(args.variants + WARM_UP)[WARM_UP:]
    checker.check_all(warm)
    costs = Costs()
    costs.wrap()
    total = 0.0
    by_declared: dict[bool, list[float]] = defaultdict(list)
    for variant in measured:
        started = time.perf_counter()
        checker.check(variant)
        spent = time.perf_counter() - started
        costs.variant_done()
        total += spent
        by_declared[bool(variant.metadata.get("ai_generated"))].append(spent)
    tokenizer = _tokenizer_seconds(measured)
    count = len(measured)
    staged = sum(costs.seconds.values())
    print(f"{count:,} variants, {sum(len(v.text.split()) for v in measured) / count:.0f} words each on average; "
          f"{total / count * 1000:.2f} ms per variant, {count / total:,.0f} variants per second on one core; "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print("| stage | ms per variant | share | matched on |\n|---|---|---|---|")
    for stage, seconds in costs.seconds.most_common():
        matched = f"{costs.matched_on[stage] / count:.0%}" if stage in costs.matched_on else "—"
        print(f"| {stage} | {seconds / count * 1000:.3f} | {seconds / total:.0%} | {matched} |")
    print(f"| the rest | {(total - staged) / count * 1000:.3f} | {(total - staged) / total:.0%} | — |")
    print(f"| (blank spaCy tokenizer alone) | {tokenizer / count * 1000:.3f} | — | — |")
    print(f"\nSome checker's matcher ran on {costs.matched_on_any / count:.0%} of the variants; none on "
          f"{1 - costs.matched_on_any / count:.0%}.", end="")
    for declared, spent in sorted(by_declared.items()):
        label = "declared AI-generated" if declared else "not declared"
        print(f"\n{label}: {len(spent):,} variants, {sum(spent) / len(spent) * 1000:.2f} ms each", end="")
    print()


def _tokenizer_seconds(variants: list[Variant]) -> float:
    tokenizers = {lang: cheap_pipeline(lang).make_doc for lang in {v.language for v in variants}}
    started = time.perf_counter()
    for variant in variants:
        tokenizers[variant.language](normalize_for_nlp(variant.text))
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
