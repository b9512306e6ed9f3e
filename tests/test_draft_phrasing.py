"""Moves in varied trade-press phrasing, written for the drafter (not taken from fixtures).

Each sentence stands alone, with invented names no knowledge file holds, so what is found comes
from the sentence's structure: who is named before and after the verb, appositions, passives,
relative clauses, lists; the empty sets are sentences a draft must not turn into moves.
"""

from __future__ import annotations

import pytest

from tests.test_draft import _moves_of

_CASES = [
    (
        "Northwind Analytics has hired Priya Raman, formerly the head of data science at Ostrich Labs, as its chief data officer.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman, who spent six years at Ostrich Labs, has joined Northwind Analytics as chief data officer.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Former Ostrich Labs executive Priya Raman is joining Northwind Analytics.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Ostrich Labs chief scientist Priya Raman has left the company for Northwind Analytics.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman has been named chief technology officer of Northwind Analytics after nine years at Ostrich Labs.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Northwind Analytics lured Priya Raman away from Ostrich Labs.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman was recruited from Ostrich Labs by Northwind Analytics in May.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Northwind Analytics said Tuesday it had appointed Priya Raman, previously a vice president at Ostrich Labs, to lead its research group.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman is leaving Ostrich Labs after eight years to take a role at Northwind Analytics.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman, Ostrich Labs' head of platform, departed in January and resurfaced at Northwind Analytics this month.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Northwind Analytics has added Priya Raman and Tomas Berg, both from Ostrich Labs, to its leadership team.",
        {
            ("priya-raman", "ostrich-labs", "northwind-analytics"),
            ("tomas-berg", "ostrich-labs", "northwind-analytics"),
        },
    ),
    (
        "Priya Raman and Tomas Berg have left Ostrich Labs to join Northwind Analytics.",
        {
            ("priya-raman", "ostrich-labs", "northwind-analytics"),
            ("tomas-berg", "ostrich-labs", "northwind-analytics"),
        },
    ),
    (
        "Ostrich Labs has lost Priya Raman to Northwind Analytics.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "The departure of Priya Raman from Ostrich Labs to Northwind Analytics surprised analysts.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    ("Priya Raman exited Ostrich Labs in March.", {("priya-raman", "ostrich-labs", None)}),
    (
        "Priya Raman, the chief executive of Ostrich Labs, will step down at the end of the year.",
        {("priya-raman", "ostrich-labs", None)},
    ),
    (
        "Ostrich Labs announced that Priya Raman would leave the company in June.",
        {("priya-raman", "ostrich-labs", None)},
    ),
    (
        "Priya Raman takes the helm at Northwind Analytics after a decade at Ostrich Labs.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Northwind Analytics brought Priya Raman over from Ostrich Labs last year.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman will become chief executive of Northwind Analytics, moving from Ostrich Labs.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Ostrich Labs veteran Priya Raman has signed with Northwind Analytics.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman, until recently general counsel at Ostrich Labs, now works at Northwind Analytics.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Northwind Analytics' new chief scientist, Priya Raman, arrives from Ostrich Labs.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman quit Ostrich Labs, and Tomas Berg followed her to Northwind Analytics weeks later.",
        {
            ("priya-raman", "ostrich-labs", None),
            ("tomas-berg", "ostrich-labs", "northwind-analytics"),
        },
    ),
    (
        "Northwind Analytics hired Priya Raman from Ostrich Labs and Tomas Berg from Quintel Systems.",
        {
            ("priya-raman", "ostrich-labs", "northwind-analytics"),
            ("tomas-berg", "quintel-systems", "northwind-analytics"),
        },
    ),
    (
        "Priya Raman, who left Ostrich Labs in 2024, has joined Northwind Analytics.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman is returning to Ostrich Labs after two years at Northwind Analytics.",
        {("priya-raman", "northwind-analytics", "ostrich-labs")},
    ),
    ("Priya Raman resigned from Ostrich Labs on Friday.", {("priya-raman", "ostrich-labs", None)}),
    ("Ostrich Labs said Priya Raman had resigned.", {("priya-raman", "ostrich-labs", None)}),
    (
        "Northwind Analytics confirmed the hire of Priya Raman from Ostrich Labs.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman has taken a job at Northwind Analytics after leaving Ostrich Labs.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman is the latest Ostrich Labs executive to leave for Northwind Analytics.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman, who had led Ostrich Labs' vision team since 2019, is now at Northwind Analytics.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Northwind Analytics poached three engineers from Ostrich Labs last quarter.",
        {("group", "ostrich-labs", "northwind-analytics")},
    ),
    ("Ostrich Labs did not say whether Priya Raman would leave.", set()),
    ("Priya Raman declined to say whether she would join Northwind Analytics.", set()),
    ("Priya Raman met with Northwind Analytics executives in March.", set()),
    (
        "Priya Raman, who joined Ostrich Labs in 2019, said the lab was growing fast.",
        {("priya-raman", None, "ostrich-labs")},
    ),
    ("Priya Raman led the Ostrich Labs team that built the model.", set()),
    (
        "Velora Systems, a Boston-based maker of inference chips, has poached two senior engineers from Kestrel Compute.",
        {("group", "kestrel-compute", "velora-systems")},
    ),
    (
        "Kestrel Compute's former chief operating officer, Dana Whitfield, has been hired by Velora Systems.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Dana Whitfield, Kestrel Compute's chief operating officer, is stepping down after seven years, the company said.",
        {("dana-whitfield", "kestrel-compute", None)},
    ),
    (
        "Velora Systems said it hired Dana Whitfield, who most recently ran product at Kestrel Compute.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Among the recent departures from Kestrel Compute is Dana Whitfield, who joined Velora Systems in May.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Velora Systems has named Dana Whitfield, a former Kestrel Compute executive, as its new president.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Dana Whitfield has jumped to Velora Systems from Kestrel Compute.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Dana Whitfield left Kestrel Compute last year and co-founded Velora Systems.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Dana Whitfield and Marcus Lee, two of Kestrel Compute's top researchers, have departed for Velora Systems.",
        {
            ("dana-whitfield", "kestrel-compute", "velora-systems"),
            ("marcus-lee", "kestrel-compute", "velora-systems"),
        },
    ),
    (
        "Velora Systems hired Dana Whitfield, Marcus Lee and Ana Costa from Kestrel Compute.",
        {
            ("dana-whitfield", "kestrel-compute", "velora-systems"),
            ("marcus-lee", "kestrel-compute", "velora-systems"),
            ("ana-costa", "kestrel-compute", "velora-systems"),
        },
    ),
    (
        "Kestrel Compute confirmed that Dana Whitfield had left to join Velora Systems.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Kestrel Compute has seen a wave of exits: Dana Whitfield left for Velora Systems in March, and Marcus Lee went to Orbis Labs in April.",
        {
            ("dana-whitfield", "kestrel-compute", "velora-systems"),
            ("marcus-lee", "kestrel-compute", "orbis-labs"),
        },
    ),
    (
        "Velora Systems has tapped Kestrel Compute alum Dana Whitfield to run its cloud unit.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Dana Whitfield is expected to join Velora Systems next month.",
        {("dana-whitfield", None, "velora-systems")},
    ),
    ("Velora Systems is in talks to hire Dana Whitfield.", set()),
    ("Dana Whitfield denied reports that she was leaving Kestrel Compute.", set()),
    ("Velora Systems hired more engineers than it planned this year.", set()),
    ("Dana Whitfield, the Kestrel Compute cofounder, said she had no plans to leave.", set()),
    (
        "Kestrel Compute hired 40 people in 2024, Dana Whitfield said.",
        {("group", None, "kestrel-compute")},
    ),
    (
        "Velora Systems' hiring of Dana Whitfield from Kestrel Compute was announced Monday.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Dana Whitfield has been appointed chief executive of Velora Systems, succeeding Marcus Lee, who retired in June.",
        {("marcus-lee", "velora-systems", None)},
    ),
    ("Dana Whitfield was promoted to chief technology officer of Kestrel Compute.", set()),
    (
        "Dana Whitfield, a longtime Kestrel Compute engineer, has quit to start her own company.",
        {("dana-whitfield", "kestrel-compute", "undisclosed")},
    ),
    (
        "After leaving Kestrel Compute in 2023, Dana Whitfield spent a year at Orbis Labs before joining Velora Systems.",
        {("dana-whitfield", "orbis-labs", "velora-systems")},
    ),
    (
        "Priya Raman spent five years at Ostrich Labs before joining Northwind Analytics in 2023.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    ("Before Northwind Analytics, Priya Raman ran the data platform at Ostrich Labs.", set()),
    (
        "Priya Raman began her career at Ostrich Labs and moved to Northwind Analytics in 2021.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman joined Northwind Analytics. She had previously worked at Ostrich Labs for a decade.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Northwind Analytics has hired Priya Raman. Raman was most recently vice president of research at Ostrich Labs.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman, 41, is the third senior executive to leave Ostrich Labs this year.",
        {("priya-raman", "ostrich-labs", None)},
    ),
    (
        "Priya Raman has stepped down as chief executive of Ostrich Labs.",
        {("priya-raman", "ostrich-labs", None)},
    ),
    (
        "Ostrich Labs' chief executive, Priya Raman, resigned on Monday and will be replaced by Tomas Berg.",
        {("priya-raman", "ostrich-labs", None)},
    ),
    (
        "Tomas Berg, a former Ostrich Labs researcher, and Priya Raman, who ran product at Quintel Systems, have both joined Northwind Analytics.",
        {
            ("tomas-berg", "ostrich-labs", "northwind-analytics"),
            ("priya-raman", "quintel-systems", "northwind-analytics"),
        },
    ),
    (
        "Northwind Analytics announced the departures of Priya Raman and Tomas Berg.",
        {("priya-raman", "northwind-analytics", None), ("tomas-berg", "northwind-analytics", None)},
    ),
    (
        "Ostrich Labs has lost two senior engineers to Northwind Analytics in the past month.",
        {("group", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "More than a dozen Ostrich Labs researchers have left for rivals since March.",
        {("group", "ostrich-labs", "undisclosed")},
    ),
    (
        "Priya Raman, who left Ostrich Labs in June, has not said where she will go next.",
        {("priya-raman", "ostrich-labs", None)},
    ),
    (
        "Priya Raman moved from Ostrich Labs to Northwind Analytics last spring.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman swapped Ostrich Labs for Northwind Analytics in 2025.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman joined Northwind Analytics from rival Ostrich Labs.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman, who was poached from Ostrich Labs by Northwind Analytics last year, said the work was different.",
        {("priya-raman", "ostrich-labs", "northwind-analytics")},
    ),
    (
        "Priya Raman will depart Ostrich Labs at the end of June, a spokeswoman said.",
        {("priya-raman", "ostrich-labs", None)},
    ),
    (
        "Dana Whitfield changed from the Munich company Kestrel Compute to Velora Systems in May.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Dana Whitfield was hired by the Berlin startup Velora Systems.",
        {("dana-whitfield", None, "velora-systems")},
    ),
    (
        "Dana Whitfield, who joined Kestrel Compute in 2019, will step down at the end of June.",
        {("dana-whitfield", None, "kestrel-compute"), ("dana-whitfield", "kestrel-compute", None)},
    ),
    (
        "The most senior of them is Dana Whitfield, Kestrel Compute's research chief, who exits in December. Whitfield is joining Velora Systems as chief scientist.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    ("Inside Kestrel Compute, the exit has caused alarm.", set()),
    (
        "Samir Haddad has joined Velora Systems from Kestrel Compute.",
        {("samir-haddad", "kestrel-compute", "velora-systems")},
    ),
    (
        "Dana Whitfield decamped to Velora Systems in May, and four members of her team went with her.",
        {("dana-whitfield", None, "velora-systems"), ("group", None, "velora-systems")},
    ),
    (
        "Kestrel Compute lost its research chief, Dana Whitfield, to Velora Systems in June, and at least five of her former reports have since joined her there.",
        {
            ("dana-whitfield", "kestrel-compute", "velora-systems"),
            ("group", "kestrel-compute", "velora-systems"),
        },
    ),
    (
        "Dana Whitfield left Kestrel Compute for Velora Systems in March. Three engineers who had worked under her followed over the summer.",
        {
            ("dana-whitfield", "kestrel-compute", "velora-systems"),
            ("group", "kestrel-compute", "velora-systems"),
        },
    ),
    (
        "Velora Systems has hired Kestrel Compute's head of research, Dana Whitfield. At least four engineers from her team have accepted offers from Velora Systems.",
        {
            ("dana-whitfield", "kestrel-compute", "velora-systems"),
            ("group", "kestrel-compute", "velora-systems"),
        },
    ),
    (
        "Kestrel Compute is a research lab in Oslo. Since March at least nine senior researchers have left the lab.",
        {("group", "kestrel-compute", None)},
    ),
    (
        "Velora Systems hired Dana Whitfield last year. The hire follows a difficult stretch for the company.",
        {("dana-whitfield", None, "velora-systems")},
    ),
]


@pytest.mark.parametrize(("text", "expected"), _CASES)
def test_moves_are_read_from_the_sentence_structure(
    text: str, expected: set[tuple[str, str | None, str | None]]
) -> None:
    assert _moves_of(text) == expected
