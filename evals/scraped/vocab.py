"""Word lists and sentence parts for the scraped-news generator; every name in them is invented.

Statement sentences are composed from parts (actor + verb + object + tail, or a statistic) so
that unrelated articles share few word runs, as real pages do; only near-copies share many.
"""

from __future__ import annotations

from typing import NamedTuple


class Subject(NamedTuple):
    full: str  # "new container port": what a question names
    short: str  # "port": what the article body mostly says
    verb: str  # capacity verb: "handle"
    unit: str  # capacity unit: "containers a year"
    body: str  # who is building it
    section: str  # url and breadcrumb section


SUBJECTS = tuple(Subject(*row.split("|")) for row in (
    "new container port|port|handle|containers a year|harbour board|business",
    "ring road|ring road|carry|vehicles a day|regional roads agency|transport",
    "hospital wing|wing|hold|beds|health trust|health",
    "tram line|tram line|carry|passengers a day|transport authority|transport",
    "desalination plant|plant|produce|litres of water a day|water board|environment",
    "wind farm|wind farm|generate|megawatts|energy office|energy",
    "ferry terminal|terminal|serve|passengers a year|harbour board|transport",
    "school campus|campus|take|pupils|education office|education",
    "river bridge|bridge|carry|vehicles a day|council|local",
    "sports stadium|stadium|seat|spectators|council|sport",
    "public library|library|hold|books|culture office|culture",
    "housing estate|estate|provide|homes|housing office|local",
    "rail depot|depot|service|trains a day|rail company|business",
    "flood barrier|barrier|protect|homes|water board|environment",
))  # fmt: skip
SYLLABLES = (
    "ka", "lo", "mer", "vin", "sta", "dor", "el", "bri", "tan", "ov", "ru", "sel", "mar",
    "quen", "ith", "pal", "zo", "ger", "an", "wy", "tor", "lis", "hem", "ba", "ne", "cor",
)  # fmt: skip
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TITLES = ("Mayor", "Minister", "Councillor", "Governor", "Commissioner", "Deputy Mayor")
FIRMS = ("Builders", "Construction", "Engineering", "Group", "Partners", "Works", "Holdings")
STREETS = ("Street", "Road", "Avenue", "Lane", "Quay", "Row")
PLACES = ("Meadow", "Point", "Hill", "Marsh", "Cove", "Fields", "Wood")
ROLES = (
    "a local resident", "a shop owner in the town centre", "chair of the residents' association",
    "a retired teacher", "an opposition councillor", "head of the local chamber of commerce",
    "a union representative", "a lecturer in urban planning", "a taxi driver",
    "a spokesperson for the campaign group", "a hotel owner", "a fisherman",
)  # fmt: skip
QUOTES = (
    "We have waited a long time for this", "This is about the next generation",
    "The numbers simply do not add up", "Nobody asked the people who actually live here",
    "We will keep a close eye on every crown", "It is the biggest decision this town has made",
    "We are confident the work will finish on time", "I have never seen anything like it",
    "The council has finally listened to residents", "There are still too many open questions",
    "This will bring work for young people", "We need to get this right the first time",
    "It is a good day for the whole region", "The traffic is already unbearable",
    "We are not against progress, but this is the wrong place",
    "The plan has changed for the better",
    "People here are tired of promises", "Every delay costs us customers",
    "We expect the first results within months", "Nobody can say how long the disruption will last",
    "This is money well spent", "Our members are worried about their jobs",
    "The town deserves better than this", "We will take this all the way to the courts",
)  # fmt: skip
OPENERS = (
    "On {weekday}, ", "Earlier this year, ", "In {month}, ", "Last year, ", "Since {year0}, ",
    "Meanwhile, ", "At the same time, ", "In recent weeks, ", "After the vote, ", "Separately, ",
    "Two years ago, ", "In {town2}, ", "For months, ", "Late on {weekday}, ", "By contrast, ",
)  # fmt: skip
ACTORS = (
    "residents in {town}", "the {body}", "{p}, {role},", "opposition councillors",
    "local businesses", "environmental groups", "farmers near {town2}", "the {region} assembly",
    "critics of the {short}", "supporters of the {short}", "a group of {n_small} shopkeepers",
    "the chamber of commerce in {town}", "{official}", "engineers on the project",
    "the transport union", "parents at the {street} school", "the {region} tourist board",
    "a cross-party committee", "fishermen in {town2}", "planning officers",
    "the mayor of {town2}, {p},", "students at the {region} Institute", "neighbours of the site",
    "the {town} cycling club", "hotel owners", "the residents' association", "{p}, {role},",
)  # fmt: skip
VERBS = (
    "complained about", "raised concerns about", "welcomed", "questioned", "asked for details of",
    "warned about", "called for a vote on", "campaigned against", "praised", "criticised",
    "wrote to the {body} about", "demanded answers on", "held a meeting about",
    "published a report on", "set up a working group on", "challenged", "voiced support for",
    "expressed doubts about", "sought legal advice over", "started a petition over",
    "filed a formal objection to", "threatened to go to court over", "requested a review of",
    "cautiously welcomed", "spoke out against", "asked for a delay to", "drew attention to",
    "pressed for changes to", "released figures on", "commissioned a study of",
    "organised a protest over",
)  # fmt: skip
OBJECTS = (
    "the noise from night-time work", "the loss of {n} parking spaces",
    "plans for a bus link to {town2}", "compensation for {n} households",
    "the timetable for the access roads", "the felling of {n} trees along the river",
    "the closure of {street} during the works", "the number of lorries passing the school",
    "dust from the building site", "rising rents in the old town", "the future of the market",
    "the route of the new access road", "floodlights on the site", "the price paid for the land",
    "the effect on the fishing harbour", "delays to the sewer upgrade", "the shortage of housing",
    "the removal of the old footbridge", "water supply during the works",
    "the safety of cyclists on {street}", "the use of outside contractors",
    "training places for young people", "access to the beach in {town2}",
    "the protected meadow at {place}", "a listed warehouse on {street}",
    "the bird colony at {place}", "temporary housing for workers", "the loss of a football pitch",
    "parking charges in the centre", "the pace of the consultation", "the impact on tourism",
    "the planned toll", "the height of the new buildings", "the diversion of bus route {n_small}",
    "the closure of {n_small} shops", "vibration from piling work", "flood risk near {place}",
    "the old customs house", "the scale of public borrowing", "wages for local workers",
)  # fmt: skip
TAILS = (
    "", "", "", " in {month}", " at a meeting on {weekday}", " for the past {n_small} years",
    " despite repeated promises", " last week", " on {weekday} evening", " in a letter",
    " during a heated debate", " at a packed public hearing", " earlier this month",
    " in a statement", " ahead of the local elections", " for the second time this year",
    " at a rally in {town2}", " in a submission to the inquiry", " after the latest survey",
    " in an open letter", " on local radio", " on {weekday} morning",
)  # fmt: skip
STATS = (
    "traffic on the main road into {town}", "property prices in {town}",
    "the number of visitors to {town}", "unemployment in the {region} region",
    "rents in the old town", "passenger numbers at {town2} station",
    "retail sales in the town centre", "the population of {town}", "hotel bookings in {town2}",
    "freight volumes through the region", "complaints about noise", "average commuting times",
    "energy bills for households in {town}", "applications for building permits",
    "school enrolment in {town}", "the number of firms registered in {town}",
)  # fmt: skip
MOVES = ("rose", "fell", "grew", "dropped", "climbed", "increased", "declined", "jumped", "slipped")
PERIODS = (
    "last year", "since {year0}", "in the first half of the year", "over the past decade",
    "between {year0} and {year1}", "in {month}", "in the past {n_small} years", "this spring",
)  # fmt: skip
STAT_SOURCES = (
    "according to the {region} statistics office", "official figures show", "estate agents say",
    "the chamber of commerce said", "a survey by {firm2} found", "council data show",
    "the regional roads agency said", "according to a report published on {weekday}",
)  # fmt: skip
SAYS = (
    '"{quote}," said {p}, {role}.', '"{quote}," {p} told reporters on {weekday}.',
    '"{quote}," {official} said.',
    '"{quote}," said {p}, who has lived in {town} for {n_small} years.',
    '"{quote}," {p} said, adding that the fight was not over.', '{p}, {role}, said: "{quote}."',
)  # fmt: skip
FIXED = (
    "{town} has a population of about {n_big}, and it is growing.",
    "The {body} held {n_small} public meetings on the plans last year.",
    "Some {n} households live within a kilometre of the site.",
    "A similar scheme in {town2} ran {n_small} years late, a point opponents raised often.",
    "The regional government has set aside {n_small2} million crowns for road repairs this year.",
    "Police said the protest outside the town hall was peaceful and that no arrests were made.",
    "The last big building project in {town}, a {n_small}-storey office block, ended in {year0}.",
    "Lorries will be banned from the centre between {hour}:00 and {hour2}:00 during the works.",
    "The plan was first proposed in {year0} but stalled for lack of money.",
    "A public inquiry in {year0} rejected an earlier version of the scheme.",
    "The national audit office is expected to review spending on the project next year.",
    "Bus routes {n_small} and {n_small2} will be diverted for several months.",
    "Attendance at the last public consultation was {n} people, the organisers said.",
    "Turnout at the last local election in {town} was {pct} percent.",
    "The {body} declined to comment on reports that the bill could rise further.",
    "{official} said the {short} would make {town} a better place to live and work.",
    "The {body} will publish monthly progress reports on its website.",
    "The first survey crews arrived at {place} on {weekday}.",
)  # fmt: skip
CAPTIONS = (
    "{official} arrives for talks in {town} on {weekday}.",
    "The site of the {subj} in {town}, seen from the air in {month}.",
    "Residents at a public meeting on the {short} plans last month.",
    "Construction workers at the {short} site near {place}.",
    "{p}, who runs a shop on {street}, says trade has already picked up.",
    "A model of the planned {short} on display at {town} town hall.",
    "Protesters outside the town hall in {town} on {weekday}.",
    "{official} and {p} at the signing ceremony.",
    "Traffic on {street}, {town}, where the {short} will be built.",
)  # fmt: skip
HEADLINES = (
    "{Town} approves plans for {subj}", "Work on {town} {short} to start in {month}",
    "{Town} {short} plan divides residents", "Council backs {town} {short} despite protests",
    "What the {subj} means for {town}", "{Town} bets on {subj}",
    "Go-ahead for {subj} in {town}", "{Town}'s {short} plan clears final hurdle",
    "Residents split over {town} {short}", "{Region} region backs {town} {short}",
    "{Town} {short}: the questions that remain", "Inside the fight over the {town} {short}",
)  # fmt: skip
LEDES = (
    "The {body} has approved plans for a {subj} in {town}, ending {n_small} years of debate.",
    "Plans for a {subj} in {town} moved a step closer on {weekday}.",
    "{town} is to get a {subj}, the {body} announced on {weekday}.",
    "After months of argument, work on a {subj} in {town} can begin.",
)  # fmt: skip
EXPLAINERS = (  # the outlet's own links to explainers on the same story
    "Explainer: how much will the {subj} in {town} cost?",
    "Who is building the {subj} in {town}, and when will it open?",
    "Live: the council vote on the {subj} in {town}",
    "The {subj} in {town} in numbers: jobs, capacity and cost",
)
HEADINGS = ("Key figures", "Background", "Reaction", "A long history", "What critics say",
            "The road to the deal", "Money matters", "Local voices", "The bigger picture",
            "Next steps", "In numbers", "A town divided")  # fmt: skip
SUBHEAD_QUESTIONS = ("What happens next?", "Why does it matter?", "What do residents say?",
                     "Who opposes the plan?", "Is the money there?", "What could go wrong?",
                     "Why now?", "What does it mean for commuters?")  # fmt: skip
SWAPS = (("residents", "locals"), ("officials", "authorities"), ("said", "says"),
         ("about", "around"), ("plan", "scheme"), ("town", "city"), ("last week", "recently"),
         ("complained", "grumbled"), ("welcomed", "applauded"), ("criticised", "attacked"),
         ("site", "area"), ("work", "construction"), ("months", "weeks"))  # fmt: skip
