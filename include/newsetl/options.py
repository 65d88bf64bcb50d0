"""What steers a run's stages besides its day and sources: one small typed object every stage takes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Batch:
    """One of ``count`` batches of a day's URLs (a URL belongs to the batch its hash falls in)."""

    index: int = 0
    count: int = 1

    def __post_init__(self) -> None:
        if self.count < 1 or not 0 <= self.index < self.count:
            raise ValueError(f"batch {self.index} of {self.count} does not exist")


WHOLE_DAY = Batch()


@dataclass(frozen=True, slots=True)
class RunOptions:
    """The run's flags (the DAG's params) and, for the mapped stages, the batch of the day they work on."""

    force_refetch: bool = False  # fetch: download stored pages again (conditional requests)
    reextract: bool = False  # extract: extract every stored page again, changed or not
    batch: Batch = field(default=WHOLE_DAY)
