"""Moves in varied trade-press phrasing, written for the drafter (not taken from fixtures).

Each sentence stands alone, with invented names no knowledge file holds, so what is found comes
from the sentence's structure: who is named before and after the verb, appositions, passives,
relative clauses, lists; the empty sets are sentences a draft must not turn into moves.
"""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from bot.draft import ArticleMeta, Known, draft
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
    (
        "Dana Whitfield is the new chief technology officer of Velora Systems, the company said, after five years at Kestrel Compute.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Dana Whitfield has been tapped to lead Velora Systems' robotics unit after leaving Kestrel Compute.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Velora Systems has hired away Kestrel Compute's top lawyer, Dana Whitfield.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Velora Systems has also hired Marcus Lee, a former Kestrel Compute researcher, and Ana Costa, who spent a decade at Orbis Labs.",
        {
            ("marcus-lee", "kestrel-compute", "velora-systems"),
            ("ana-costa", "orbis-labs", "velora-systems"),
        },
    ),
    (
        "Dana Whitfield, formerly Kestrel Compute's head of sales, joined Velora Systems last week.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Kestrel Compute co-founder Dana Whitfield has left the company, two people said.",
        {("dana-whitfield", "kestrel-compute", None)},
    ),
    (
        "Velora Systems has poached Dana Whitfield from Kestrel Compute to run its new lab in London.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Kestrel Compute is losing Dana Whitfield, its chief scientist, to Velora Systems.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Velora Systems recruited Dana Whitfield, then head of AI at Kestrel Compute, in 2024.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Dana Whitfield will take up the post of chief scientist at Velora Systems in June, leaving Kestrel Compute after six years.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "The startup has hired two of Kestrel Compute's senior engineers.",
        {("group", "kestrel-compute", None)},
    ),
    (
        "Dana Whitfield is departing Kestrel Compute. Whitfield will join Velora Systems in March.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Dana Whitfield, ex-Kestrel Compute, joins Velora Systems as chief scientist.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Velora Systems hires Dana Whitfield (formerly Kestrel Compute) as its chief operating officer.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Moving on: Dana Whitfield has left Kestrel Compute after four years.",
        {("dana-whitfield", "kestrel-compute", None)},
    ),
    (
        "Velora Systems acquired Kestrel Compute in March, and Kestrel's 30 engineers joined Velora Systems.",
        {("group", "kestrel-compute", "velora-systems")},
    ),
    (
        "Dana Whitfield (Kestrel Compute) has joined Velora Systems.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    ("Velora Systems joined forces with Kestrel Compute on a chip project.", set()),
    ("Dana Whitfield left the meeting early, according to Velora Systems staff.", set()),
    ("Velora Systems hired a law firm, Orbis Legal, to review the deal.", set()),
    ("Kestrel Compute named its new model after Dana Whitfield's daughter.", set()),
    ("Velora Systems is hiring across its offices, Dana Whitfield said.", set()),
    (
        "Dana Whitfield, who leads Velora Systems' research, said the lab would not lose anyone.",
        set(),
    ),
    ("Kestrel Compute has not hired anyone from Velora Systems, Dana Whitfield said.", set()),
    ("Velora Systems left the industry group in 2023, Dana Whitfield said.", set()),
    ("Dana Whitfield returned to the stage at Velora Systems' conference.", set()),
    ("Dana Whitfield declined to say whether Velora Systems would hire more people.", set()),
    ("Analysts expect Velora Systems to poach engineers from Kestrel Compute.", set()),
    (
        "Dana Whitfield will leave Kestrel Compute at the end of the year. The company did not name a successor. Whitfield is leaving to join Velora Systems, according to a statement.",
        {("dana-whitfield", "kestrel-compute", "velora-systems")},
    ),
    (
        "Velora Systems hired three engineers from Kestrel Compute, including senior researcher Marcus Lee.",
        {
            ("group", "kestrel-compute", "velora-systems"),
            ("marcus-lee", "kestrel-compute", "velora-systems"),
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), _CASES)
def test_moves_are_read_from_the_sentence_structure(
    text: str, expected: set[tuple[str, str | None, str | None]]
) -> None:
    assert _moves_of(text) == expected


_FIGURES = [
    (
        "Velora Systems raised $45 million in a Series B round led by Orbis Ventures.",
        [("velora-systems", 45000000)],
    ),
    ("The round values Velora Systems at $1.2bn.", [("velora-systems", 1200000000)]),
    (
        "Velora Systems now employs roughly 350 people, up from 200 a year earlier.",
        [("velora-systems", 350), ("velora-systems", 200)],
    ),
    (
        "Revenue at Kestrel Compute grew 40 percent last year to $88 million.",
        [("kestrel-compute", 40), ("kestrel-compute", 88000000)],
    ),
    ("Kestrel Compute cut about 12% of its staff in January.", [("kestrel-compute", 12)]),
    (
        "Velora Systems plans to double its research headcount to 120 by 2028.",
        [("velora-systems", 120)],
    ),
    (
        "Kestrel Compute offered Dana Whitfield a pay package worth more than £3m.",
        [("kestrel-compute", 3000000)],
    ),
    (
        "Orbis Ventures, which manages €2.5 billion, led the round.",
        [("orbis-ventures", 2500000000)],
    ),
    (
        "Salaries for machine learning engineers at Velora Systems start at $250,000, the company said.",
        [("velora-systems", 250000)],
    ),
    (
        "Kestrel Compute's shares fell 8.5% on Tuesday after the announcement.",
        [("kestrel-compute", 8.5)],
    ),
    (
        "Velora Systems has hired 75 engineers since January, a spokesperson said.",
        [("velora-systems", 75)],
    ),
    ("Kestrel Compute lost three of its top researchers this year.", [("kestrel-compute", 3)]),
    (
        "Velora Systems has more than 1,000 customers, including Kestrel Compute.",
        [("velora-systems", 1000)],
    ),
    (
        "The deal, valued at $600 million, was announced by Kestrel Compute on Monday.",
        [("kestrel-compute", 600000000)],
    ),
    (
        "Velora Systems said its annual recurring revenue had tripled to $30 million.",
        [("velora-systems", 30000000)],
    ),
    (
        "Kestrel Compute will invest 500 million dollars in a new lab in Toronto.",
        [("kestrel-compute", 500000000)],
    ),
    (
        "About a third of Kestrel Compute's engineers have left since 2025.",
        [("kestrel-compute", 33.3)],
    ),
    (
        "Velora Systems' market value has climbed to about $14 billion.",
        [("velora-systems", 14000000000)],
    ),
    (
        "Dana Whitfield, who joined Velora Systems in 2022, oversees a team of 90 engineers.",
        [("velora-systems", 90)],
    ),
    (
        "Kestrel Compute pays its researchers between $400,000 and $900,000 a year.",
        [("kestrel-compute", [400000, 900000])],
    ),
    (
        "Velora Systems raised a $20m seed round in 2023 and a $60m Series A in 2025.",
        [("velora-systems", 20000000), ("velora-systems", 60000000)],
    ),
    (
        "Arclight AI, which had raised $700 million in the summer, offered to hire Dana Whitfield and her team of 14 researchers, the people said.",
        [("arclight-ai", 700000000), ("arclight-ai", 14)],
    ),
    (
        "Velora Systems said the unit would grow to between 300 and 350 people by 2028.",
        [("velora-systems", [300, 350])],
    ),
    (
        "A senior engineer at Velora Systems earns between 180,000 and 250,000 euros a year.",
        [("velora-systems", [180000, 250000])],
    ),
    (
        "Velora Systems achieved a turnover of CHF 18 million last year.",
        [("velora-systems", 18000000)],
    ),
    ("Velora Systems collected 3,5 million euros from investors.", [("velora-systems", 3500000)]),
    (
        "Velora Systems had about 40 engineers in 2023, compared with roughly 110 now.",
        [("velora-systems", 40), ("velora-systems", 110)],
    ),
    (
        "Velora Systems employs 300 engineers and plans to add another 150 next year.",
        [("velora-systems", 300), ("velora-systems", 150)],
    ),
    (
        "Velora Systems plans to deploy more than 10,000 of its robots by 2028.",
        [("velora-systems", 10000)],
    ),
    (
        "Orbis Ventures led a $50 million round in Velora Systems last month.",
        [("velora-systems", 50000000)],
    ),
    (
        "According to Hirewell Insights, the median salary for AI researchers rose 14% to $310,000 in 2026.",
        [("hirewell-insights", 14), ("hirewell-insights", 310000)],
    ),
    (
        "A report from Pemberton Search found that 62% of AI hires at banks came from Big Tech.",
        [("pemberton-search", 62)],
    ),
    (
        "Dana Whitfield will receive a signing bonus of $2 million from Velora Systems, people familiar said.",
        [("velora-systems", 2000000)],
    ),
    (
        "Velora Systems, backed by Orbis Ventures, has raised $210 million to date.",
        [("velora-systems", 210000000)],
    ),
    (
        "Data from Talentwise Analytics show that Velora Systems has hired 48 people from Kestrel Compute since 2024.",
        [("velora-systems", 48)],
    ),
    (
        "Investors including Orbis Ventures and Hollis Capital put $75 million into Velora Systems.",
        [("velora-systems", 75000000)],
    ),
    ("The unit generates about a fifth of Kestrel Compute's revenue.", [("kestrel-compute", 20)]),
    ("Kestrel Compute doubled its AI research staff to 200 last year.", [("kestrel-compute", 200)]),
    (
        "Kestrel Compute expects to spend $1 billion on compute in 2027, chief financial officer Dana Whitfield told analysts.",
        [("kestrel-compute", 1000000000)],
    ),
    (
        "At Velora Systems, about 30% of engineers now work remotely, the company said.",
        [("velora-systems", 30)],
    ),
    (
        "Under Whitfield, Kestrel Compute's headcount grew from 40 to 400.",
        [("kestrel-compute", 40), ("kestrel-compute", 400)],
    ),
]


def _figures_of(text: str) -> list[tuple[str, object]]:
    article = f"Headline\n\nMarch 4, 2027\n\n{text}\n"
    result = draft(article, ArticleMeta("Headline", "Example Wire", dt.date(2027, 3, 4)), Known())
    keys = ("value", "more_than", "up_to", "at_least", "less_than", "between")
    return sorted(
        (f["subject"], next(f[k] for k in keys if k in f))
        for f in tomllib.loads(result.toml).get("figures", [])
    )


@pytest.mark.parametrize(("text", "expected"), _FIGURES)
def test_figures_have_their_subject_and_value(
    text: str, expected: list[tuple[str, object]]
) -> None:
    # Values as the sentence gives them: ranges, ISO codes, decimal commas, bare counts after
    # "compared with" or "another"; the subject whose number it is.
    assert _figures_of(text) == sorted(expected)


def _speakers_of(text: str) -> list[str]:
    article = f"Headline\n\nMarch 4, 2027\n\n{text}\n"
    result = draft(article, ArticleMeta("Headline", "Example Wire", dt.date(2027, 3, 4)), Known())
    return [s["speaker"] for s in tomllib.loads(result.toml).get("statements", [])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a pronoun after the quotation: the person named before it
            "Dana Whitfield joined Velora Systems in May. “It was time for something new,” she"
            " said.",
            ["dana-whitfield"],
        ),
        (  # a surname's particle is part of the name, and the surname alone is that person
            "Chief financial officer Stefan de Wit spoke to analysts. “We are hiring,” de Wit"
            " said.",
            ["stefan-de-wit"],
        ),
        (  # 'according to' past a description of the source
            "According to the staffing consultancy Halvard Search, salaries rose by 20% last year.",
            ["halvard-search"],
        ),
        ("Velora Systems declined to discuss the terms of the deal.", ["velora-systems"]),
    ],
)
def test_statements_name_their_speaker(text: str, expected: list[str]) -> None:
    assert _speakers_of(text) == expected
