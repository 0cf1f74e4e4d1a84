"""Partner search: route "we are looking for a partner who can ..." to fitting members."""

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
