"""Write the FICTIONAL Tavrenia test collection: evals/corpora/tavrenia/{corpus,questions}.jsonl.

Every place, person, company and figure is invented. Two stories run January–February 2026 in
the made-up country of Tavrenia (currency: tavrens): a dock strike at the port of Kelmora and a
disputed rail-tunnel tender (RT-7/2026), plus unrelated local news as distractors. Built in:
near-duplicates (a wire story rewritten by several outlets), a contradicting figure (the union
says 3,400 workers struck, the port authority 2,100), different dates, paraphrased questions
(hard for BM25) and rare codes and names (hard for dense retrieval), and questions the
collection cannot answer. Deterministic: `python -m evals.make_tavrenia` rewrites both files
byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).parent / "corpora" / "tavrenia"

# (id, published, source, title, text)
Article = tuple[str, str, str, str, str]

_WIRE_STRIKE = (
    "Some 3,400 dockworkers at the port of Kelmora walked off the job on Monday, halting "
    "container traffic at Tavrenia's largest harbour. The Harbour Workers' Federation (HWF) "
    "called the strike after talks on a new wage agreement collapsed. The union is demanding a "
    '14% pay rise over two years. "Our members have waited long enough," said HWF general '
    "secretary Mirela Dascu. Ships queued outside the breakwater as cranes stood idle."
)
_WIRE_DEAL = (
    "Dockworkers at Kelmora will return to work on Wednesday after the Harbour Workers' "
    "Federation accepted a 9.5% pay rise spread over two years. Each worker will also receive "
    "a one-off bonus of 1,200 tavrens. The agreement ends a strike that lasted 23 days. "
    'Mediator Teodor Halvik said both sides had made "painful but necessary" concessions.'
)
_WIRE_TENDER = (
    "The Brannholt-Sayre consortium has won tender RT-7/2026 to build a rail tunnel under the "
    "Orsk ridge, the transport ministry announced on Thursday. The contract is worth 2.7 "
    "billion tavrens. The tunnel will be 11.4 km long and is meant to cut freight journeys "
    "between Kelmora and the interior by two hours."
)
_WIRE_MEDIATOR = (
    "The government has appointed retired judge Teodor Halvik to mediate the Kelmora dock "
    "dispute. Labour minister Oskar Fenn said Halvik would meet both sides separately this week. "
    "The strike is now in its second week."
)

ARTICLES: list[Article] = [
    ("kelmora-strike-begins-tpa", "2026-01-12", "Tavrenian Press Agency",
     "Kelmora dockworkers strike over pay", _WIRE_STRIKE),
    ("kelmora-strike-begins-herald", "2026-01-12", "Kelmora Herald",
     "Port of Kelmora paralysed as dockers strike",
     _WIRE_STRIKE.replace("walked off the job on Monday", "downed tools on Monday")
     .replace("Ships queued outside the breakwater as cranes stood idle.",
              "Local hauliers said they had been given no warning.")),
    ("kelmora-strike-begins-ledger", "2026-01-13", "Coastal Ledger",
     "Strike halts Tavrenia's biggest port",
     "Tavrenia's largest harbour was at a standstill on Tuesday, a day after "
     + _WIRE_STRIKE.replace("Some 3,400", "some 3,400").replace(" on Monday", "")),
    ("kelmora-strike-begins-nbd", "2026-01-12", "Northern Business Daily",
     "Dock strike hits Kelmora container traffic",
     _WIRE_STRIKE.replace("\"Our members have waited long enough,\" said HWF general secretary "
                          "Mirela Dascu. ", "")),
    ("port-authority-disputes-numbers", "2026-01-13", "Kelmora Herald",
     "Port authority says fewer than claimed are on strike",
     "The Kelmora Port Authority said on Tuesday that only 2,100 workers had joined the "
     "stoppage, far fewer than the union claims. Chief executive Anselm Vrieg said the port had "
     "offered a 6% rise over two years and called the union's demand \"unaffordable\". Vrieg "
     "said some terminals were still handling bulk cargo."),
    ("solenne-crest-stranded", "2026-01-14", "Maritime Gazette",
     "Fruit ship stuck at Kelmora berth 7",
     "The container ship MV Solenne Crest (IMO 9478213) has been stranded at berth 7 since "
     "the strike began. She carries 1,850 reefer containers of fruit bound for inland markets. "
     "Her operator warned that the cargo could spoil if it is not unloaded within ten days."),
    ("chamber-counts-cost", "2026-01-15", "Northern Business Daily",
     "Business groups put daily cost of dock strike at 38 million",
     "The Kelmora Chamber of Commerce estimates that the stoppage is costing the economy 38 "
     "million tavrens a day. Canned-fish exporters, who ship almost everything through the "
     "port, have been hit hardest. The chamber urged both sides to accept mediation."),
    ("minister-rules-out-law", "2026-01-16", "Tavrenian Press Agency",
     "Labour minister urges talks but will not legislate",
     "Labour minister Oskar Fenn called on the port and the union to return to the table. Fenn "
     "ruled out legislating an end to the strike, saying it would \"poison relations for a "
     "decade\". Opposition parties accused the government of standing by."),
    ("mediator-appointed-tpa", "2026-01-19", "Tavrenian Press Agency",
     "Retired judge to mediate Kelmora dock dispute", _WIRE_MEDIATOR),
    ("mediator-appointed-ledger", "2026-01-19", "Coastal Ledger",
     "Halvik named mediator in port strike",
     _WIRE_MEDIATOR.replace("The government has appointed", "Tavrenia's government has named")
     .replace("this week", "in the coming days")),
    ("explainer-port-strikes", "2026-01-20", "Kelmora Herald",
     "Explainer: Tavrenia's history of port strikes",
     "The Harbour Workers' Federation was founded in 1952 and represents most of Kelmora's "
     "stevedores. Its last major stoppage, at the smaller port of Veyra in 2019, lasted 11 days "
     "and ended with a 4% rise. Strikes at Kelmora itself have been rare since the 1980s."),
    ("rail-union-solidarity", "2026-01-22", "Coastal Ledger",
     "Rail freight union refuses diverted cargo",
     "The Rail Freight Union said its members would not handle cargo diverted from Kelmora to "
     "other ports. Lorries waiting to enter the port area formed a queue 14 km long on the "
     "coast road. Police said the queue was the longest they had recorded."),
    ("talks-stall-union-lowers-demand", "2026-01-27", "Tavrenian Press Agency",
     "Dock union lowers pay demand as talks stall",
     "The Harbour Workers' Federation lowered its demand to an 11% rise over two years, Mirela "
     "Dascu told reporters after a nine-hour session with the mediator. The port authority did "
     "not respond to the new figure. Dascu said the strike would continue."),
    ("deal-reached-tpa", "2026-02-03", "Tavrenian Press Agency",
     "Kelmora dock strike ends with 9.5% deal", _WIRE_DEAL),
    ("deal-reached-herald", "2026-02-03", "Kelmora Herald",
     "Dockers accept deal, port to reopen Wednesday",
     _WIRE_DEAL.replace("will return to work on Wednesday", "are to go back to work on Wednesday")),
    ("deal-reached-nbd", "2026-02-04", "Northern Business Daily",
     "Port strike over: what the Kelmora deal means",
     _WIRE_DEAL.replace("Mediator Teodor Halvik said both sides had made \"painful but "
                        "necessary\" concessions.",
                        "Exporters welcomed the news but warned of weeks of delays.")),
    ("backlog-61000", "2026-02-05", "Maritime Gazette",
     "Kelmora faces backlog of 61,000 containers",
     "The port of Kelmora is facing a backlog of 61,000 containers after the strike. Anselm "
     "Vrieg said the port would clear it within three weeks by running extra night shifts. The "
     "Solenne Crest was the first ship to be unloaded."),
    ("automation-pier-k4", "2026-02-10", "Coastal Ledger",
     "Analysis: automation is the next fight at Kelmora",
     "The port authority plans to automate the cranes at terminal Pier K4 by 2028. The union "
     "fears that up to 400 jobs could disappear. The wage deal says nothing about automation, "
     "which both sides agree will be the next dispute."),
    ("backlog-cleared", "2026-02-20", "Maritime Gazette",
     "Kelmora clears post-strike backlog",
     "The port of Kelmora said on Friday it had cleared the backlog left by the January strike. "
     "Weekly container volumes are back to normal, according to the port authority."),
    ("tunnel-tender-awarded-tpa", "2026-01-08", "Tavrenian Press Agency",
     "Brannholt-Sayre wins Orsk tunnel contract", _WIRE_TENDER),
    ("tunnel-tender-awarded-nbd", "2026-01-08", "Northern Business Daily",
     "Consortium lands 2.7 billion tunnel deal",
     _WIRE_TENDER.replace("announced on Thursday", "said on Thursday")
     .replace("is meant to cut", "should cut")),
    ("tunnel-tender-awarded-herald", "2026-01-09", "Kelmora Herald",
     "Orsk rail tunnel: contract signed",
     _WIRE_TENDER + " Construction jobs will be advertised later this year."),
    ("kovac-appeals", "2026-01-15", "Northern Business Daily",
     "Losing bidder Kovač appeals tunnel award",
     "Kovač Engineering has appealed against the award of the Orsk tunnel contract. Its bid of "
     "2.45 billion tavrens was lower than the winning offer, the company said. The transport "
     "ministry said the award followed the published criteria."),
    ("salamander-found", "2026-01-29", "Coastal Ledger",
     "Rare salamander colony found on tunnel route",
     "The environmental agency ENVA has found a colony of the Orsk cave salamander (Proteus "
     "orskensis) on the planned tunnel route. The tunnel will be rerouted around the caves, "
     "adding 600 metres to its length. Conservation groups welcomed the decision."),
    ("minister-defends-tunnel", "2026-02-06", "Tavrenian Press Agency",
     "Transport minister defends Orsk tunnel",
     "Transport minister Ilse Marrow defended the Orsk tunnel in parliament on Friday. She said "
     "the project would create 1,100 construction jobs and would be finished in 2031. Marrow "
     "said the appeal by the losing bidder would not delay the work."),
    ("court-sets-hearing", "2026-02-12", "Kelmora Herald",
     "Court to hear tunnel appeal on 9 March",
     "The administrative court in Kelmora will hear Kovač Engineering's appeal on 9 March. "
     "Until then the transport ministry may not sign any construction orders for the tunnel."),
    ("salamander-biologist", "2026-02-18", "Coastal Ledger",
     "The biologist who counts salamanders",
     "Dr Hanne Osterlund has studied the caves under the Orsk ridge for twenty years. She "
     "estimates the colony at about 300 animals. \"They live longer than most dogs,\" she said."),
    ("storm-edda", "2026-01-09", "Kelmora Herald",
     "Storm Edda closes Kelmora harbour",
     "Storm Edda closed the harbour at Kelmora for two days with winds of up to 130 km/h. "
     "Ferries to the islands were cancelled and fishing boats stayed in port."),
    ("airport-expansion", "2026-01-25", "Northern Business Daily",
     "Kelmora airport expansion approved",
     "The city council approved a 1.3 billion tavren expansion of Kelmora airport, adding a "
     "second runway. Work is due to start next spring."),
    ("fishing-quota", "2026-02-02", "Maritime Gazette",
     "Kelmora trawlers get larger herring quota",
     "Kelmora's trawler fleet will be allowed to land 18,000 tonnes of herring this year, up from "
     "15,500. Fishermen said the rise would not make up for losses during the dock strike."),
    ("veyra-record-volumes", "2026-02-14", "Maritime Gazette",
     "Veyra port handles record volumes",
     "The smaller port of Veyra handled a record number of containers in January as shippers "
     "diverted cargo away from strike-hit Kelmora. Its operator said it had hired 150 "
     "temporary workers."),
    ("rail-freight-prices", "2026-01-30", "Northern Business Daily",
     "Rail freight prices rise during port strike",
     "Rail freight prices in Tavrenia rose 8% in January, the statistics office said, as "
     "shippers scrambled for alternatives to the strike-bound port."),
]  # fmt: skip

_STRIKE_START = [
    "kelmora-strike-begins-tpa", "kelmora-strike-begins-herald",
    "kelmora-strike-begins-ledger", "kelmora-strike-begins-nbd",
]  # fmt: skip
_DEAL = ["deal-reached-tpa", "deal-reached-herald", "deal-reached-nbd"]
_MEDIATOR = ["mediator-appointed-tpa", "mediator-appointed-ledger"]
_TENDER = ["tunnel-tender-awarded-tpa", "tunnel-tender-awarded-nbd", "tunnel-tender-awarded-herald"]

# (id, question, answers, gold doc ids); an empty answer list means unanswerable.
QUESTIONS: list[tuple[str, str, list[str], list[str]]] = [
    ("union-strikers", "According to the union, how many dockers stopped working at Kelmora?",
     ["3,400"], _STRIKE_START),
    ("authority-strikers", "How many workers does the port authority say took part in the "
     "stoppage?", ["2,100"], ["port-authority-disputes-numbers"]),
    ("initial-demand", "What wage increase did the dockers' union ask for at first?", ["14%"],
     _STRIKE_START),
    ("first-offer", "What raise did the port management put on the table initially?", ["6%"],
     ["port-authority-disputes-numbers"]),
    ("imo-ship", "Which vessel has the number IMO 9478213?", ["MV Solenne Crest"],
     ["solenne-crest-stranded"]),
    ("ship-berth", "At which berth is the Solenne Crest stuck?", ["berth 7"],
     ["solenne-crest-stranded"]),
    ("refrigerated-boxes", "How many refrigerated boxes of produce are aboard the stranded "
     "vessel?", ["1,850"], ["solenne-crest-stranded"]),
    ("daily-cost", "What does the walkout cost the economy every day according to local "
     "businesses?", ["38 million tavrens"], ["chamber-counts-cost"]),
    ("hwf-leader", "Who is the general secretary of the HWF?", ["Mirela Dascu"],
     [*_STRIKE_START[:3], "talks-stall-union-lowers-demand"]),
    ("port-ceo", "Who runs the Kelmora Port Authority?", ["Anselm Vrieg"],
     ["port-authority-disputes-numbers", "backlog-61000"]),
    ("mediator", "Which former judge was brought in to broker a settlement?", ["Teodor Halvik"],
     [*_MEDIATOR, *_DEAL[:2]]),
    ("minister-ruled-out", "What step did the labour minister refuse to take?",
     ["legislating an end to the strike"], ["minister-rules-out-law"]),
    ("lorry-queue", "How long was the line of trucks waiting to get into the port?", ["14 km"],
     ["rail-union-solidarity"]),
    ("rail-union", "Which union would not touch freight rerouted from Kelmora?",
     ["Rail Freight Union"], ["rail-union-solidarity"]),
    ("lowered-demand", "What did the union reduce its pay claim to?", ["11%"],
     ["talks-stall-union-lowers-demand"]),
    ("agreed-rise", "How big is the pay increase in the final settlement?", ["9.5%"], _DEAL),
    ("bonus", "How much is the one-time payment each docker gets?", ["1,200 tavrens"], _DEAL),
    ("strike-length", "How many days did the dock stoppage go on for?", ["23 days"], _DEAL),
    ("backlog", "How many boxes were waiting to be moved after the strike?", ["61,000"],
     ["backlog-61000"]),
    ("veyra-2019", "How long did the 2019 Veyra strike last?", ["11 days"],
     ["explainer-port-strikes"]),
    ("hwf-founded", "In what year was the Harbour Workers' Federation set up?", ["1952"],
     ["explainer-port-strikes"]),
    ("pier-k4", "Which terminal will get automated cranes?", ["Pier K4"],
     ["automation-pier-k4"]),
    ("automation-jobs", "How many posts could be lost to automation at Pier K4?", ["400"],
     ["automation-pier-k4"]),
    ("rt7-winner", "Who won tender RT-7/2026?", ["Brannholt-Sayre"], _TENDER),
    ("tunnel-length", "How long will the tunnel under the Orsk ridge be?", ["11.4 km"], _TENDER),
    ("tunnel-value", "How much is the railway tunnel contract worth?", ["2.7 billion tavrens"],
     _TENDER),
    ("appeal-bidder", "Which company challenged the tunnel award in court?",
     ["Kovač Engineering"], ["kovac-appeals", "court-sets-hearing"]),
    ("kovac-bid", "What price did Kovač offer?", ["2.45 billion tavrens"], ["kovac-appeals"]),
    ("protected-species", "Which protected animal lives on the planned route?",
     ["Orsk cave salamander"], ["salamander-found"]),
    ("proteus", "What is Proteus orskensis?", ["Orsk cave salamander"], ["salamander-found"]),
    ("reroute-length", "How much extra length does the detour around the caves add?",
     ["600 metres"], ["salamander-found"]),
    ("completion-year", "When is the Orsk tunnel due to be completed?", ["2031"],
     ["minister-defends-tunnel"]),
    ("transport-minister", "Who is Tavrenia's transport minister?", ["Ilse Marrow"],
     ["minister-defends-tunnel"]),
    ("hearing-date", "On what date will judges consider the tunnel appeal?", ["9 March"],
     ["court-sets-hearing"]),
    ("colony-size", "How many animals are in the salamander colony?", ["300"],
     ["salamander-biologist"]),
    ("storm-name", "What was the storm that shut Kelmora harbour called?", ["Edda"],
     ["storm-edda"]),
    ("airport-cost", "What will enlarging Kelmora's airport cost?", ["1.3 billion tavren"],
     ["airport-expansion"]),
    ("tunnel-jobs", "How many construction jobs does the ministry expect from the tunnel?",
     ["1,100"], ["minister-defends-tunnel"]),
    ("herring", "How much herring may Kelmora's trawlers land this year?", ["18,000 tonnes"],
     ["fishing-quota"]),
    ("rail-prices", "By how much did rail freight prices rise in January?", ["8%"],
     ["rail-freight-prices"]),
    ("injuries", "How many dockworkers were injured during the Kelmora strike?", [], []),
    ("mayor", "What did the mayor of Kelmora say about the strike?", [], []),
    ("dascu-salary", "What is Mirela Dascu's salary?", [], []),
    ("tunnel-start", "On what date will digging of the Orsk tunnel begin?", [], []),
    ("mediator-fee", "How much was Teodor Halvik paid for mediating?", [], []),
    ("population", "What is the population of Kelmora?", [], []),
    ("crane-maker", "Which company makes the automated cranes for Pier K4?", [], []),
    ("hearing-outcome", "What did the court decide on Kovač's appeal?", [], []),
    ("brannholt-history", "Which tunnels has Brannholt-Sayre built before?", [], []),
    ("port-revenue", "What were the Kelmora port's revenues last year?", [], []),
]  # fmt: skip


def corpus_lines() -> list[str]:
    return [
        json.dumps(
            {"id": i, "title": t, "text": x, "published": p, "source": s}, ensure_ascii=False
        )
        for i, p, s, t, x in ARTICLES
    ]


def question_lines() -> list[str]:
    return [
        json.dumps(
            {"id": i, "question": q, "answers": a, "gold_doc_ids": g, "answerable": bool(a)},
            ensure_ascii=False,
        )
        for i, q, a, g in QUESTIONS
    ]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "corpus.jsonl").write_text("\n".join(corpus_lines()) + "\n", encoding="utf-8")
    (OUT / "questions.jsonl").write_text("\n".join(question_lines()) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
