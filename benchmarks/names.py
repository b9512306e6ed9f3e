"""Word lists behind the synthetic knowledge: given names, surnames, nicknames and company parts.

Diverse on purpose (accents, short and long names, shared stems) so that name resolution meets
what a real news feed throws at it: namesakes, near-identical companies and foreign spellings.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    """
Aaron Abigail Adaeze Adam Aditi Adrian Ahmed Aiko Aisha Alejandro Alexander Alexandra Ali Alice
Alina Amara Amelia Amir Ana Anders Andrea Andrew Anil Anita Anna Anthony Anton Arjun Astrid Aurora
Ayesha Benjamin Bernard Bianca Bogdan Camille Carlos Caroline Catherine Chen Chiara Chidi Chloe
Christopher Clara Daniel Daniela Darius David Deepa Diego Dmitri Dominic Eduardo Elena Elif Elijah
Elizabeth Emeka Emily Emma Erik Esther Ethan Eva Fatima Felix Fernando Fiona Francesca Gabriel
Gabriela Gareth Grace Gustavo Hana Hannah Haruto Hassan Helen Henrik Hiroshi Hugo Ibrahim Ines
Ingrid Isaac Isabel Ivan Jacob James Jasmine Javier Jennifer Jessica Jin Joanna Johannes John
Jonathan Jorge José Joseph Julia Julian Kai Kamala Karim Katherine Kenji Kevin Khalid Kiran Laura
Lars Layla Leila Leon Liam Lina Lucas Lucia Luis Madison Magnus Maria Marco Margaret Mariana Mark
Marta Mateo Matthew Maya Mei Michael Miguel Mikhail Ming Miriam Mohammed Nadia Naomi Natalia
Nathan Nicholas Nikhil Nina Noah Nora Olga Oliver Olivia Omar Oscar Pablo Patricia Patrick Pedro
Peter Priya Rafael Rahul Rajesh Ravi Rebecca Renee Ricardo Richard Robert Rohan Rosa Ruth Ryan
Sakura Samuel Sandra Santiago Sara Sebastian Sergei Shreya Simon Sofia Søren Stefan Stephanie
Sunil Svetlana Takeshi Tariq Teresa Thomas Timothy Tomás Valentina Vanessa Victor Vikram Vivek
Wei William Xavier Xin Yara Yasmin Yuki Yusuf Zainab Zara Zhang Zoë
"""
)

LAST_NAMES = _words(
    """
Abara Abbott Acosta Adeyemi Aguilar Ahmadi Akhtar Albrecht Alvarez Andersen Anderson Antonelli
Aoki Arslan Ashworth Bach Bader Baker Balogun Banerjee Barros Bauer Becker Bell Bergström Bhatt
Bianchi Blackwood Bose Brennan Brooks Bui Caldwell Campbell Carvalho Castillo Chandra Chang Chavez
Chen Cho Chopra Choudhury Cohen Conti Costa Cruz Dalton Das Delgado Desai Dietrich Dimitrov Dubois
Duarte Dunn Eriksen Esposito Evans Farouk Fernandes Ferrari Fischer Fitzgerald Flores Fontaine
Foster Friedman Fujita Gallagher Garcia Ghosh Gill Goldberg Gomez Gonzalez Gray Greene Grünewald
Gupta Haas Hamid Hansen Harrington Hartmann Hashemi Hayes Heller Hernandez Hoffmann Holm Hosseini
Huang Hughes Ibrahim Ikeda Inoue Ivanova Iyer Jackson Jain Jansen Jensen Jiménez Johansson Joshi
Kaplan Kapoor Kato Kaur Keller Kennedy Khan Kim Kimura Klein Kobayashi Koch Kovács Kowalski Krause
Kumar Kuznetsov Lambert Larsen Laurent Lee Lehmann Leone Levi Li Lin Lindqvist Liu Lombardi Lopez
Lund Lynch Madsen Mahmoud Malik Mancini Marchetti Martin Martinez Matsumoto Mehta Mendes Meyer
Mishra Molina Montoya Moreau Moreno Morgan Murphy Mwangi Nakamura Nair Navarro Nguyen Nielsen
Nikolaidis Novak Nowak Nwosu Obi Odhiambo Okafor Okonkwo Oliveira Olsen Ortiz Osei Ozturk Pacheco
Park Patel Pereira Petrov Pham Philips Pillai Popescu Quinn Rahman Ramirez Rao Reddy Reyes Richter
Rivera Rodriguez Romano Rossi Russo Saito Salazar Sanchez Santos Sato Schmidt Schneider Schulz
Sen Shah Sharma Shevchenko Silva Singh Sokolov Sorensen Suarez Sullivan Suzuki Takahashi Tan
Tanaka Thakur Torres Tran Tucker Turner Vargas Varma Vasquez Verma Vogel Volkov Wagner Walsh Wang
Watanabe Weber Weiss Whitfield Williams Wong Wu Xu Yamamoto Yang Yilmaz Yoon Zhang Zhao Zhou
Zimmermann
"""
)

# Short forms users type and articles use ("Bill Hughes" for William Hughes).
NICKNAMES = {
    "Abigail": "Abby",
    "Alexander": "Alex",
    "Alexandra": "Sasha",
    "Andrew": "Andy",
    "Anthony": "Tony",
    "Benjamin": "Ben",
    "Catherine": "Cathy",
    "Christopher": "Chris",
    "Daniel": "Dan",
    "Dmitri": "Dima",
    "Elizabeth": "Liz",
    "Francesca": "Frankie",
    "Gabriel": "Gabe",
    "Isabel": "Izzy",
    "Jennifer": "Jen",
    "Jessica": "Jess",
    "Jonathan": "Jon",
    "Joseph": "Joe",
    "Katherine": "Kate",
    "Margaret": "Maggie",
    "Matthew": "Matt",
    "Michael": "Mike",
    "Mikhail": "Misha",
    "Nicholas": "Nick",
    "Patricia": "Trish",
    "Rebecca": "Becky",
    "Richard": "Rick",
    "Robert": "Bob",
    "Samuel": "Sam",
    "Sebastian": "Seb",
    "Stephanie": "Steph",
    "Thomas": "Tom",
    "Timothy": "Tim",
    "Valentina": "Vale",
    "William": "Bill",
}

COMPANY_STEMS = _words(
    """
Aether Albatross Alder Altair Amber Anchor Apex Aquila Arbor Arclight Argent Aria Astra Atlas
Aurora Avalon Axiom Basalt Beacon Birch Blackbird Bluefin Boreal Brightline Cairn Caldera Canopy
Cascade Cedar Celadon Cerulean Chimera Cinder Cirrus Clearwater Cobalt Comet Condor Coral Corvid
Crescent Crimson Crystal Cypress Dawnlight Delta Driftwood Dune Eagle Echo Eclipse Ember Emerald
Equinox Everest Falcon Fathom Fennec Fern Firefly Fjord Flint Foxglove Frontier Gale Garnet Glacier
Granite Graphite Gryphon Halcyon Harbor Hawthorn Helios Heron Horizon Hyperion Indigo Iris Ironwood
Jade Juniper Kestrel Kite Lagoon Lantern Lark Lattice Lodestar Lumen Lynx Magnolia Mantis Maple
Marble Meridian Mesa Meteor Minerva Mistral Monarch Monsoon Nebula Nimbus Noble Nova Oak Obsidian
Onyx Orbital Orchid Osprey Pacific Paragon Pebble Pelican Peregrine Phoenix Pine Pinnacle Polaris
Prairie Prism Quantum Quartz Quasar Radiant Raven Redwood Ridge Riverbend Sable Saffron Sapphire
Sequoia Sierra Silverline Solstice Sparrow Spruce Starling Stratus Summit Tamarind Tempest Terra
Thistle Tidal Topaz Torrent Tundra Umber Valiant Vantage Vector Verdant Vertex Vireo Vista Willow
Wren Zenith Zephyr
"""
)

# Second words that make compound stems ("Blue Harbor", "Deep Current").
COMPANY_PREFIXES = _words(
    """
Blue Deep Bright Silver Open Clear North True Red Iron Swift High New Far Black White Green Grand
Little Wild
"""
)

COMPANY_SUFFIXES = _words(
    """
AI Labs Robotics Systems Technologies Dynamics Analytics Intelligence Networks Computing Cloud
Software Research Semiconductors Health Capital Ventures Bio Data Machines Vision Security Energy
Logistics Media Works Group Partners Studios Foundry
"""
)

PUBLISHERS = (
    "TechWire Daily",
    "The Silicon Ledger",
    "AI Business Journal",
    "Market Pulse",
    "The Compute Report",
    "Frontier Tech News",
)

OUTLETS = ("Reuters", "Bloomberg", "LinkedIn", "The Information", "CNBC", "Financial Times")

ROLE_TITLES = (
    "Vice President of Machine Learning",
    "Head of AI Research",
    "Chief Scientist",
    "Chief Technology Officer",
    "Director of Applied AI",
    "Principal Research Scientist",
    "General Manager, Generative AI",
    "Head of Model Training",
    "Vice President of Engineering",
    "Head of AI Product Strategy",
    "Chief AI Officer",
    "Director of Research Engineering",
    "Senior Director of Data Science",
    "Head of Inference Infrastructure",
    "Distinguished Engineer",
)

PRODUCTS = (
    "the company's first large language model",
    "its speech recognition platform",
    "a code-generation assistant",
    "the recommendation engine",
    "its autonomous driving stack",
    "the chip design team's compiler",
    "a protein-folding model",
    "its multimodal search product",
    "the fraud detection system",
    "an open-source training framework",
)

TEAMS = (
    "a team of 200 researchers",
    "the applied science group",
    "its foundation model program",
    "the AI safety team",
    "cloud AI services",
    "the robotics division",
)

GROUP_KINDS = ("researchers", "engineers", "AI scientists", "product managers", "data scientists")


# ---------------------------------------------------------------------- a second, held-out pool
# benchmarks/resolution.py tunes name matching on the pool above and reports it on this one: other
# given names and surnames, invented compound company stems ("Lynxhub", "Primestream") and other
# suffixes, so that a threshold fitted to the first pool's spelling cannot pass for accuracy.

TEST_FIRST_NAMES = _words(
    """
Abel Ada Agnes Alan Albert Alexandr Alfred Alison Alvin Amber Amos Angela Angus Annette Archie
Arthur Audrey Austin Barbara Barry Beatrice Bella Bertram Beverly Blake Bradley Brenda Brian
Bridget Bruce Caleb Calvin Cameron Carl Carmen Cecilia Cedric Charles Charlotte Cheryl Clifford
Colin Connor Cynthia Dalia Damian Deborah Declan Denise Dennis Derek Diana Donald Donna Dorothy
Douglas Duncan Edgar Edmund Edward Edwin Eileen Elaine Eleanor Ellis Eloise Eric Ernest Eugene
Evelyn Florence Frances Francis Frederick Gavin Geoffrey George Georgina Gerald Gillian Gordon
Graham Gregory Gwen Harold Harriet Harvey Heather Henry Herbert Howard Ian Imogen Irene Jack
Jacqueline Jasper Jeffrey Jeremy Jerome Joan Jocelyn Judith Justin Keith Kenneth Kimberly Lance
Lawrence Leonard Leslie Lewis Lillian Lionel Louise Lucille Malcolm Marcus Marian Martha Martin
Maxwell Melanie Melvin Meredith Mildred Miles Miranda Mitchell Monica Morgan Neil Nigel Norman
Oswald Owen Pamela Penelope Philip Phoebe Quentin Raj Ralph Randall Raymond Reginald Rhys
Roderick Roger Ronald Rosalind Rupert Russell Sabrina Sally Shirley Sidney Spencer Stanley Stuart
Susan Sylvia Terence Theodore Tobias Trevor Ursula Vera Vernon Victoria Vincent Walter Warren
Wendy Wilfred Winston Yvonne Zachary
"""
)

TEST_LAST_NAMES = _words(
    """
Achterberg Adebayo Agarwal Ainsworth Alder Almeida Amato Ambrose Appleby Aranda Archer Arnaud
Atwood Avery Bakshi Ballard Barclay Barnett Bartlett Beaumont Bellamy Benedetti Bhandari Blanchard
Bolton Bonnet Booth Bradshaw Brandt Brewer Buckley Burgess Cabrera Calloway Carrington Castellano
Chakraborty Chatterjee Clifton Colburn Collier Cordero Crawford Crosby Dalal Davenport Dekker
Donnelly Draper Dwyer Eastwood Ellison Emerson Engel Fairbanks Falk Farrell Fenwick Figueroa
Finch Fleming Forsyth Galloway Garland Gaspar Gibbons Goddard Godinez Gorski Greaves Hadley
Halvorsen Hammond Harlow Hawkins Hendricks Hollis Horvath Howell Huxley Ingram Irwin Jarvis
Jennings Juarez Kapadia Kendall Kerr Kingsley Kirby Knox Koenig Lacroix Langley Larkin Lindgren
Lister Lowell Macintyre Maddox Maldonado Manning Marsh Mcallister Mercer Merritt Mistry Moody
Morrow Munoz Nash Nolan Norwood Oakley Ogden Ocampo Padgett Palmer Parekh Pennington Perkins
Pickering Pollard Prescott Pryor Radcliffe Ramsey Randall Ratliff Redding Rhodes Rowland Rutledge
Sadler Sandoval Sawyer Seymour Sheth Shepard Sinclair Slater Spalding Stafford Stanton Sterling
Sutton Talbot Thornton Tolliver Townsend Underwood Upton Valdez Vance Vickers Wadsworth Wallace
Warwick Webster Wendell Westbrook Whitaker Wilder Winslow Wolcott Woodward Wyatt Yardley Yates
Zamora Zeller
"""
)

TEST_NICKNAMES = {
    "Albert": "Al",
    "Alfred": "Alf",
    "Archie": "Arch",
    "Barbara": "Barb",
    "Bradley": "Brad",
    "Charles": "Charlie",
    "Cynthia": "Cindy",
    "Deborah": "Debbie",
    "Donald": "Don",
    "Douglas": "Doug",
    "Edward": "Ed",
    "Frederick": "Fred",
    "Geoffrey": "Geoff",
    "Gregory": "Greg",
    "Harold": "Harry",
    "Henry": "Hank",
    "Jacqueline": "Jackie",
    "Jeffrey": "Jeff",
    "Kenneth": "Ken",
    "Lawrence": "Larry",
    "Leonard": "Len",
    "Philip": "Phil",
    "Raymond": "Ray",
    "Ronald": "Ron",
    "Susan": "Sue",
    "Theodore": "Ted",
    "Victoria": "Vicky",
    "Walter": "Walt",
    "Zachary": "Zach",
}

TEST_COMPANY_STEMS = _words(
    """
Aerowave Algomind Ampliflow Arcforge Astrobyte Auralink Axonix Bitharbor Bluecrest Boltwise
Brainspire Brightforge Byteloom Cellaris Chipwell Cloudmesa Codebloom Cogniview Coreweft
Crystalis Cyberwell Datafield Deepgrain Dendrite Driftmind Ecomatic Edgewise Elevio Embertech
Enginuity Evercore Fabrigen Fluxion Forgepoint Fusionary Gigawatt Glintstone Gridfall Heliogen
Hexaflow Hivemind Holoptic Hypergrid Ignitek Infiniq Inkwell Ionstream Jetpath Kinetiq Kryptal
Lambdaworks Lightfold Linkara Logicraft Lumira Lynxhub Magnetar Mechanica Memora Metaforge
Microbloom Mindforge Mosaiq Nanotide Neocortex Netherby Neurocraft Nexalis Novarise Nullpoint
Octaveon Omnistream Opticore Orbitex Parallax Photonix Pinestream Pixelate Plasmatic Polymind
Primestream Probity Pulsewave Quantix Quillion Radiantix Rapidmind Recallio Relaywise Rivermind
Roboforge Scalewise Sensora Shiftwell Signalis Siliconex Skyforge Slatewise Solarix Sonicare
Sparkline Spectrix Stackwise Starforge Steelhead Streamwise Sunfold Synapsify Synthetix Tensorix
Terraform Thinkwell Tidewise Torchlight Tracewell Trellis Turbine Ultraview Unitron Vaultline
Velocita Veritas Vividata Voltaic Wavefront Wiredmind Xenonix Yieldwise Zircon Zylotech
"""
)

TEST_COMPANY_PREFIXES = _words("Bear Gold Prime Urban Solid Quiet Rapid Star Sky Sun Blue Royal")

TEST_COMPANY_SUFFIXES = _words(
    """
Works Security Labs Health Ventures Analytics Robotics Systems Capital Cloud Software Bio
Devices Imaging Materials Networks Dynamics Logic Digital Sciences Solutions Mobility Optics
"""
)

# Legal forms some stored company names carry, as news copy writes them.
LEGAL_FORMS = ("Corp.", "Inc.", "Ltd", "GmbH", "LLC", "Corporation", "Co.", "PLC")
