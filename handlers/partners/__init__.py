"""Partner search: route "we are looking for a partner who can ..." to fitting members.

Modules, one job each:

- ``directory``: ``Candidate`` and the member CSV loader.
- ``text``: which shared ``bot.textmatch`` primitives partner search uses
  (folding, tokens, bilingual stems, stop words plus request boilerplate,
  compound splitting).
- ``concepts``: the shared domain thesaurus (``bot/textmatch/data/thesaurus.txt``)
  indexed by partner search's stems, with broader concepts and ``!generic``.
- ``analysis``: text -> matching units (concepts, stems, compound parts).
- ``index``: inverted index of the directory and per-member coverage of a request.
- ``ranking``: ``PartnerRanker`` (exclusions, fairness cap, score-following cut-off).
- ``intent``: ``is_partner_search`` for free text.
- ``evaluation``: offline metrics on labelled requests.

What stays here rather than in ``bot.textmatch``, and why: the units of
``analysis`` and the scoring of ``index`` and ``ranking``. The FAQ's
``Analyzer`` detects one language per question and matches a question against
phrasings; partner search matches a request against profiles that mix German
and English word by word, weighs units by their rarity in the directory, credits
broader concepts and ranks members. Those are different jobs over the same
primitives and the same thesaurus, and both are tuned on their own evaluation.
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
