"""Small word lists the drafter reads text with: generic words, not names of anyone.

None of these name a person or company; they say what kind of word surrounds a name, so a new
article needs no change here.
"""

from __future__ import annotations

from bot.draft.dates import MONTHS, WEEKDAYS


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that are never a name on their own.
GENERIC = _words(
    """
    A An The This That These Those It Its He She His Her They Their We Our I You In On At For
    Of By To From With And Or But As If While When After Before Since Until Earlier Later Last
    Next New Mr Mrs Ms Dr AI ML LLM CEO CTO CFO COO CPO CMO CRO CSO CIO VP SVP EVP Series
    Inc Corp Co Ltd LLC Group According Meanwhile However Also Still Yet Now Today Monday
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Deputy Interim Acting Former Ex
    """
) | frozenset(MONTHS + WEEKDAYS)

# Capitalised titles inside a run of names: "Meridian Labs CEO Aisha Okonkwo".
TITLE_TOKENS = _words(
    "CEO CTO CFO COO CPO CMO CRO CSO CIO VP SVP EVP Chairman Chairwoman Chair Chief President "
    "Founder Co-founder Cofounder Director Deputy Interim Acting"
)
TITLE_CONTINUATION = _words(
    "Executive Officer Technology Operating Product Financial Marketing Scientist Vice "
    "President General Manager Research Revenue Information Data"
)

# Lowercase title words: a phrase made of these next to a name is the person's title.
TITLE_WORDS = _words(
    """
    ceo cto cfo coo cpo cmo cro cso cio chief executive officer technology operating product
    financial marketing revenue president vice senior executive general manager director head
    chair chairman chairwoman co-founder cofounder founder lead leader principal staff scientist
    engineer researcher partner analyst adviser advisor spokesperson spokeswoman spokesman
    of and research engineering sales science the its team group ai machine learning data
    information security people design strategy business growth communications policy legal
    operations finance people
    """
)
# Words that end a title phrase and certainly make it one.
TITLE_HEADS = _words(
    """
    ceo cto cfo coo cpo cmo cro cso cio executive officer president director head chair
    chairman chairwoman co-founder cofounder founder leader scientist engineer researcher
    partner manager adviser advisor
    """
)

# The last word of a company's name says what it is: "Halden Ventures", "Meridian Labs".
COMPANY_WORDS = _words(
    """
    AI Labs Lab Robotics Ventures Capital Partners Group Inc Corp Corporation Technologies
    Technology Systems Search Index Holdings Bank University Institute Fund Networks Software
    Media Studios Health Therapeutics Bio Energy Motors Analytics Security Cloud Data Dynamics
    Industries Foundation Intelligence Computing Semiconductor Electronics Co Ltd LLC Labs
    Machines Automation Microsystems Digital Interactive Games Pharma Investments Advisors
    Financial Insurance Bancorp Trust Securities Markets Solutions Services Brands Motors
    Advisory Insights Consulting Recruiting Associates Agency Mutual
    """
)
# The last word of an outlet's name: "Harborline News", "Frontier Brief".
OUTLET_WORDS = _words(
    """
    News Times Journal Post Wire Brief Daily Herald Tribune Gazette Insider Review Ledger
    Chronicle Observer Bulletin Digest Dispatch Telegraph Weekly Magazine
    """
)
ORG_HEADS = _words("University Institute Bank Department School College Ministry")

# Lowercase nouns that say the next or previous name is a company.
COMPANY_NOUNS = _words(
    """
    startup start-up firm company companies rival lab labs maker makers giant marketplace
    competitor competitors provider developer investor platform unit subsidiary group
    recruiter consultancy agency bank lender fund insurer broker manufacturer retailer
    """
)

# Nouns after a name that say the name is an organisation's, not an adjective ("a Fenwick
# spokesperson" names Fenwick; "a San Francisco startup" does not name San Francisco).
MEMBER_NOUNS = _words(
    """
    spokesperson spokeswoman spokesman representative official officials executive executives
    employee employees engineer engineers researcher researchers board investor investors
    """
)
OUTLET_AFTER = ("reported", "reports", "profile", "post", "article", "story", "interview")
WORD_NUMBERS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "dozen": 12,
    "a dozen": 12,
}
