"""Partner search: route "we are looking for a partner who can ..." to fitting members.

Modules, one job each:

- ``directory``: ``Candidate`` and the member CSV loader.
- ``text``: folding, tokens, German+English stemming, stop words, compound splitting.
- ``concepts``: the domain thesaurus (``data/thesaurus.txt``) of synonyms,
  abbreviations and broader concepts.
- ``analysis``: text -> matching units (concepts, stems, compound parts).
- ``index``: inverted index of the directory and per-member coverage of a request.
- ``ranking``: ``PartnerRanker`` (exclusions, fairness cap, score-following cut-off).
- ``intent``: ``is_partner_search`` for free text.
- ``evaluation``: offline metrics on labelled requests.

``text``, ``concepts`` and ``analysis`` are plain functions over cached data
files so that they can be merged with the shared ``bot/textmatch`` package.
"""

from handlers.partners.directory import Candidate, load_members_csv
from handlers.partners.intent import is_partner_search
from handlers.partners.ranking import PartnerMatch, PartnerRanker

__all__ = [
    "Candidate",
    "PartnerMatch",
    "PartnerRanker",
    "is_partner_search",
    "load_members_csv",
]
