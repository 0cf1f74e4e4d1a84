"""Partner search: directory loading, exclusions, bilingual matching, cut-off, intent."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.demo import DEMO_DIR
from handlers.partners import (
    Candidate,
    PartnerRanker,
    is_partner_search,
    load_members_csv,
)
from handlers.partners.concepts import parse_thesaurus
from handlers.partners.evaluation import run
from handlers.partners.intent import is_call_on_members
from handlers.partners.needs import split_needs
from handlers.partners.text import fold, split_compound, stem


def member(
    member_id: str,
    topics: tuple[str, ...],
    *,
    organisation: str | None = None,
    kind: str = "company",
    bio: str = "",
    role: str = "Geschäftsführung",
    consent: bool = True,
    recent_requests: int = 0,
) -> Candidate:
    return Candidate(
        member_id=member_id,
        organisation=organisation or f"Beispiel {member_id} GmbH (fiktiv)",
        kind=kind,
        city="Goslar",
        role=role,
        languages=("de", "en"),
        young_professional=False,
        topics=topics,
        bio=bio,
        consent=consent,
        recent_requests=recent_requests,
    )


DIRECTORY = [
    member("a1", ("Kupferschrott", "Schrotthandel"), bio="Kauft Kupferschrott an."),
    member("a2", ("Altreifen", "Gummigranulat")),
    member("b1", ("Ökobilanz", "ISO 14040/44"), bio="Erstellt Ökobilanzen für Industriekunden."),
    member("b2", ("Batterierecycling", "Schwarzmasse"), bio="Recycelt Traktionsbatterien."),
    member("b3", ("Hydrometallurgie", "Solventextraktion")),
    member("c1", ("Edelmetallscheidung", "Silber", "Gold")),
    member("c2", ("Wolfram", "Hartmetallschrott"), bio="Verwertet Hartmetallschrott."),
    member("d1", ("Seltene Erden", "Magnetrecycling"), kind="research"),
    member("d2", ("rare earth elements", "separation"), kind="university"),
    member("e1", ("Elektroaltgeräte", "Erstbehandlung"), bio="Zertifizierter Erstbehandler."),
    member("f1", ("Photovoltaik", "Bürgerbeteiligung")),
    member("f2", ("Kommunale Abfallwirtschaft", "Wertstoffhöfe"), kind="municipality"),
    member("g1", ("Wasserstoff", "Elektrolyse")),
    member("g2", ("ERP", "Wiegesoftware")),
]


# members unrelated to copper, so that rarity (idf) means something in small tests
FILLER = [m for m in DIRECTORY if m.member_id not in {"a1", "d1", "d2"}]


@pytest.fixture(scope="module")
def ranker() -> PartnerRanker:
    return PartnerRanker(DIRECTORY)


def ids(ranker: PartnerRanker, text: str, requester: str = "zz", k: int = 5) -> list[str]:
    return [m.member_id for m in ranker.rank(text, None, requester_id=requester, k=k)]


# -- text functions -------------------------------------------------------------


def test_fold_handles_umlauts_and_sharp_s() -> None:
    assert fold("Ökobilanz GIEẞEREI Müller") == "oekobilanz giesserei mueller"


def test_stem_is_shared_by_german_and_english_forms() -> None:
    assert stem("batteries") == stem("batterien")
    assert stem("Oekobilanz".lower()) == stem(fold("Ökobilanz"))


def test_split_compound_uses_lexicon_and_linking_elements() -> None:
    lexicon = {"batterie", "recycling", "forschung", "partner"}
    assert split_compound("batterierecycling", lexicon.__contains__) == ["batterie", "recycling"]
    assert split_compound("forschungspartner", lexicon.__contains__) == ["forschung", "partner"]
    assert split_compound("abcdefghij", lexicon.__contains__) == ["abcdefghij"]


def test_a_compounds_head_is_a_whole_word() -> None:
    # "Wicklung" (winding) is no Wick(e) + Lung(e): a first part may drop its "e"
    # ("Hochschul-labor"), the last part carries its own ending.
    ranker = PartnerRanker(DIRECTORY)
    assert ranker.index.split("wicklung") == ["wicklung"]
    assert ranker.index.split("hochschullabor") == ["hochschul", "labor"]
    assert ranker.index.split("kupferschlacken") == ["kupfer", "schlack"]  # ending dropped


def test_thesaurus_maps_phrases_and_broader_concepts() -> None:
    thesaurus = parse_thesaurus(
        [
            "metal: Metall | metal",
            "copper: Kupfer | copper > metal",
            "member [faq]: Mitglied",
            "!generic metal",
        ]
    )
    assert thesaurus.concepts_of((stem("kupfer"),)) == frozenset({"copper"})
    assert thesaurus.broader["copper"] == ("metal",)
    assert thesaurus.generic == frozenset({"metal"})
    assert not thesaurus.concepts_of((stem("mitglied"),))  # limited to the FAQ engine
    with pytest.raises(ValueError, match="line 1"):
        parse_thesaurus(["no colon here"])


# -- exclusions -----------------------------------------------------------------


def test_requester_is_never_returned(ranker: PartnerRanker) -> None:
    assert "a1" not in ids(ranker, "Wir suchen Abnehmer für Kupferschrott.", requester="a1")


def test_a_compound_is_about_its_last_part() -> None:
    """An "Onlineshop" is a shop: online marketing alone does not fit it, while a member
    with the whole compound still fits fully."""
    members = [
        member("x1", ("Onlinemarketing", "Suchmaschinenoptimierung")),
        member("x2", ("Onlineshop", "Webdesign")),
    ]
    ranker = PartnerRanker(members + FILLER)
    assert ids(ranker, "Wer baut uns einen Onlineshop?") == ["x2"]
    assert ids(PartnerRanker(members[:1] + FILLER), "Wer baut uns einen Onlineshop?") == []


def test_a_compound_of_a_broad_activity_is_named_by_what_it_is_done_to() -> None:
    """ "Magnetrecycling" is recycling of magnets: recycling is what much of the network
    does, the magnets are what sets a member apart, asked in one word or in three (the
    demo's Clausthal institute works on "Seltene Erden aus Magnetschrott")."""
    demo = PartnerRanker(load_members_csv(DEMO_DIR / "members.csv"))
    assert ids(demo, "Hat jemand Erfahrung mit Magnetrecycling?") == ["demo-ben"]
    assert ids(demo, "Hat jemand Erfahrung mit dem Recycling von Magneten?") == ["demo-ben"]


def test_a_glossary_phrase_weighs_as_a_term_not_as_its_everyday_words() -> None:
    """ "e-waste" is a field term (the glossary's), however common "e" and "waste" are: it
    finds whom "Elektroschrott" finds (the demo's directory)."""
    demo = PartnerRanker(load_members_csv(DEMO_DIR / "members.csv"))
    german = ids(demo, "Wir suchen einen Partner, der Elektroschrott aufbereitet.")
    assert german and ids(demo, "We are looking for a partner who processes e-waste.") == german


def test_a_method_named_in_a_compound_finds_the_member_who_names_the_method() -> None:
    """The demo's institute lists "Laugung"; a member asking for "Laugungsverfahren" or
    for "leaching" in English is after it (the glossary's leaching line names the noun)."""
    demo = PartnerRanker(load_members_csv(DEMO_DIR / "members.csv"))
    assert ids(demo, "Wir suchen Partner für Laugungsverfahren.") == ["demo-ben"]
    assert ids(demo, "Who can help us with leaching tests?") == ["demo-ben"]


def test_own_organisation_is_excluded() -> None:
    same_org = "Kreislauf Kupfer GmbH (fiktiv)"
    members = [
        member("x1", ("Kupferschrott",), organisation=same_org),
        member("x2", ("Kupferschrott", "Schrotthandel"), organisation=same_org),
        member("x3", ("Kupferschrott", "Schrotthandel")),
        member("x4", ("Photovoltaik",)),
    ]
    found = ids(PartnerRanker(members + FILLER), "Wer kauft Kupferschrott?", requester="x1")
    assert found == ["x3"]


def test_members_without_consent_are_excluded() -> None:
    members = [
        member("y1", ("Kupferschrott", "Schrotthandel"), consent=False),
        member("y2", ("Kupferschrott", "Schrotthandel")),
        member("y3", ("Photovoltaik",)),
    ]
    assert ids(PartnerRanker(members + FILLER), "Wer kauft Kupferschrott?") == ["y2"]


def test_fairness_cap_skips_members_with_many_recent_requests() -> None:
    members = [
        member("z1", ("Kupferschrott", "Schrotthandel"), recent_requests=4),
        member("z2", ("Kupferschrott", "Schrotthandel"), recent_requests=3),
        member("z3", ("Photovoltaik",)),
    ]
    assert ids(PartnerRanker(members + FILLER), "Wer kauft Kupferschrott?") == ["z2"]
    relaxed = PartnerRanker(members + FILLER, max_recent_requests=5)
    assert set(ids(relaxed, "Wer kauft Kupferschrott?")) == {"z1", "z2"}


# -- matching -------------------------------------------------------------------


def test_english_request_finds_german_profile(ranker: PartnerRanker) -> None:
    assert ids(ranker, "We need a partner for the life cycle assessment of our product.")[0] == "b1"
    assert ids(ranker, "Who can take our WEEE for first treatment?")[0] == "e1"


def test_german_request_finds_english_profile(ranker: PartnerRanker) -> None:
    found = ids(ranker, "Wir suchen eine Hochschule für die Trennung Seltener Erden.")
    assert found[0] in {"d1", "d2"}
    assert set(found) <= {"d1", "d2"}


def test_abbreviation_matches_full_term(ranker: PartnerRanker) -> None:
    assert ids(ranker, "Looking for an LCA partner.")[0] == "b1"
    assert ids(ranker, "Who works on REE?")[0] in {"d1", "d2"}


def test_compound_matches_its_parts(ranker: PartnerRanker) -> None:
    # "Batterierecycling" in the profile, the parts in the request, and the reverse
    assert ids(ranker, "Who does recycling of batteries and black mass?")[0] == "b2"
    assert ids(ranker, "Wir suchen Partner für Schwarzmasse-Laugung.")[0] == "b2"


def test_typo_is_tolerated(ranker: PartnerRanker) -> None:
    assert ids(ranker, "Wer kennt sich mit Hydrometalurgie aus?")[0] == "b3"


def test_unrelated_request_reaches_nobody(ranker: PartnerRanker) -> None:
    assert ids(ranker, "Wir suchen einen Caterer für unser Sommerfest mit veganem Buffet.") == []
    assert ids(ranker, "Who can recycle old mattresses and sofas?") == []


def test_request_of_broad_activities_only_reaches_nobody(ranker: PartnerRanker) -> None:
    assert ids(ranker, "Wir suchen einen Partner für Recycling und Verwertung.") == []


def test_cut_off_follows_scores_not_k(ranker: PartnerRanker) -> None:
    found = ranker.rank(
        "Wir suchen Partner für die Rückgewinnung von Seltenen Erden aus Magneten.",
        "de",
        requester_id="zz",
        k=5,
    )
    assert 1 <= len(found) < 5
    assert {m.member_id for m in found} <= {"d1", "d2"}
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)


def test_k_limits_the_number_of_matches(ranker: PartnerRanker) -> None:
    assert len(ids(ranker, "Seltene Erden rare earth elements", k=1)) == 1


def test_university_request_prefers_academic_members() -> None:
    members = [
        member("u1", ("Seltene Erden",), kind="company"),
        member("u2", ("Seltene Erden",), kind="university"),
        member("u3", ("Photovoltaik",)),
    ]
    found = ids(PartnerRanker(members + FILLER), "Looking for a university lab on rare earths.")
    assert found[0] == "u2"


def test_a_named_kind_nobody_of_which_fits_goes_to_the_office() -> None:
    # Only a company works on battery recycling: a member asking for a university gets
    # the office, not a company they did not ask for.
    members = [
        member("c1", ("Batterierecycling", "Schwarzmasse"), kind="company"),
        member("u1", ("Ökobilanz",), kind="university"),
    ]
    ranker = PartnerRanker(members + FILLER)
    assert ids(ranker, "We are looking for a university to study battery recycling.") == []
    assert "c1" in ids(ranker, "We are looking for a partner in battery recycling.")


@pytest.mark.parametrize(
    "text",
    [
        "We need flour and sourdough starter for our bakery.",
        "Wir wollen nächstes Jahr ein Pilotprojekt zur Schlackenaufbereitung starten.",
    ],
)
def test_start_and_starter_name_no_kind_of_partner(ranker: PartnerRanker, text: str) -> None:
    # "Start-up" is read as "start" + "up"; "start" alone is no company
    assert ranker.kinds.requested(text)[0] == frozenset()


def test_a_member_of_the_named_kind_needs_less_of_a_long_wish_list() -> None:
    # The municipality with commercial land covers little of the many wishes; that the
    # member asked for a municipality is part of the fit. Without the kind named, the same
    # coverage reaches nobody.
    members = [
        member("k1", ("Gewerbeflächen", "Ansiedlung", "Wirtschaftsförderung"), kind="municipality"),
        member("k2", ("Gasnetz", "Netzanschluss"), kind="company"),
    ]
    ranker = PartnerRanker(members + FILLER)
    wishes = (
        "Gewerbeflächen für unsere Pilotanlage zur Methanpyrolyse, mit Gasleitung, Autobahn, "
        "Bahnanschluss und Abwärmenutzung sowie Kühlwasser und Stromtrasse nahe Hafen?"
    )
    assert ids(ranker, "Gibt es eine Gemeinde mit " + wishes) == ["k1"]
    assert ids(ranker, "Gibt es irgendwo " + wishes) == []


# -- intent ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Wir suchen einen Partner für die Aufbereitung von Kupferschlacken.",
        "Wer kann uns bei der Analyse von Gießereisanden helfen?",
        "Looking for a lab that can measure trace metals in soil.",
        "We need a company that takes back used solar panels.",
        "Kennt jemand einen Entsorger für Leuchtstoffröhren?",
        "Wer kann Gießereialtsand aufbereiten oder verwerten?",
        "We'd like to find a refinery for our platinum-bearing residues.",
        "Wir suchen eine Molkerei, die unsere Milch abnimmt.",  # another network's field
        "Wir brauchen eine Druckerei für unsere Etiketten.",
        "We need a partner who can recycle rare-earth magnets.",
        "We need to find a lab that can test our slag.",
        "Wir brauchen als Hochschule einen Partner für das Recycling von Magneten.",
    ],
)
def test_partner_searches_are_recognised(text: str) -> None:
    assert is_partner_search(text)


@pytest.mark.parametrize(
    "text",
    [
        "Wann ist das nächste Symposium?",
        "How much is the membership fee?",
        "Wie kann ich mein Profil ändern?",
        "Who can take part in the excursion?",
        "Ich brauche die Rechnung für den Mitgliedsbeitrag.",
        "Wer kann an der Exkursion nach Freiberg teilnehmen?",
        "Wer kann Mitglied werden?",
        "We need the invoice for last year's fee.",
        "Wir brauchen Hilfe bei der Vorbereitung der Mitgliederversammlung.",
        "Ich suche den Zugang zum Mitgliederbereich.",
        "Is there a member directory?",
        "Is there a discount for students?",
        "Do you know a good hotel near the venue?",
        "Is there any advice on permits?",
        # what the member must be or do, not whom they seek
        "Do I need to be a member to go on an excursion?",
        "Do we need to become members to attend the symposium?",
        "Do I need a ticket as a member?",
        "We need to inform our partners about the new date.",
        "Brauche ich eine Einladung, um als Mitglied an der Exkursion teilzunehmen?",
        "Was brauchen wir, um Mitglied zu werden?",
    ],
)
def test_ordinary_questions_are_not_partner_searches(text: str) -> None:
    assert not is_partner_search(text)


# Requests put as a question to everybody, as members write in a group chat: who has
# experience or capacity, who would cooperate, who can recommend someone, who is working on
# something. Several fields; none of these words is in a rule.
@pytest.mark.parametrize(
    "text",
    [
        "Hat jemand Erfahrung mit der Rückgewinnung von Indium aus Displays?",
        "Gibt es im Netzwerk Betriebe, die Gipsabfälle annehmen?",
        "Wer hätte Kapazitäten, fünf Tonnen Altkatalysatoren aufzubereiten?",
        "Mit wem könnten wir ein Pilotprojekt zur Sortierung von Elektroschrott starten?",
        "Uns fehlt noch ein Labor für Spurenanalytik.",
        "Wir möchten noch eine Kommune ins Boot holen.",
        "Wir hätten Interesse an einer Kooperation mit einer Gießerei.",
        "Kann mir jemand einen Gutachter für Altlasten empfehlen?",
        "Ist jemand im Cluster, der Photovoltaik-Module recycelt?",
        "Wer nimmt bei uns in der Region Altholz ab?",
        "Welche Firma im Netzwerk kann Edelstahlspäne aufbereiten?",
        "Kann uns jemand bei der Zertifizierung unserer Anlage unterstützen?",
        "Unser Betrieb hat viel Kupferschlacke übrig – kann die jemand gebrauchen?",
        "We'd love to team up with a university working on heat pumps.",
        "Our project still lacks an industrial partner in metal processing.",
        "Can someone recommend an expert on contaminated soil?",
        "Anyone in the network who takes used wood pallets?",
        "Is anybody working on recycling of photovoltaic modules?",
        "Are there members experienced in bioleaching?",
        "Who in the cluster processes aluminium dross?",
        "Could you connect us with a lab that does electron microscopy?",
        "We have surplus cardboard every week – would anyone want it?",
        "Does any member do life cycle assessments?",
        "Who would be up for a joint pilot on recovering zinc from dust?",
        "anyone with experience in magnet recycling?",
        # who in the network does or knows a thing
        "wer kennt sich hier eigentlich mit Holzvergasung aus",
        "Wer von euch arbeitet an Zinkrückgewinnung?",
        "hallo zusammen, wer beschäftigt sich mit Phosphorrecycling?",
        "whos working on glass recycling here",
        "Who's researching bioleaching?",
        "which companies work with scrap tyres?",
        "anyone here doing pv module recycling?",
        "macht hier jemand was mit Phosphorrückgewinnung?",
        # which of the members does a thing (walkthrough: these had become tickets)
        "Which members do timber frame construction?",
        "Which companies recycle solar panels?",
        "Any members doing water audits?",
        "Welche Mitglieder arbeiten an Grauwassernutzung?",
        "Welche Firmen im Netzwerk beschäftigen sich mit Holzvergasung?",
        # one of them, the verb in the singular (walkthrough 2026-12-06: had become a ticket)
        "Welche Hochschule forscht zu Grauwassernutzung?",
        "Welcher Betrieb beschäftigt sich mit Holzvergasung?",
        # how to find one for a named need
        "Wie finde ich eine Hochschule, die Praktika in der Holzverarbeitung anbietet?",
        "Wo finden wir einen Gutachter für unsere Biogasanlage?",
        "how can we find a supplier for compostable packaging?",
        "Where do I find a lab that tests drinking water?",
    ],
)
def test_requests_put_to_everybody_are_recognised(text: str) -> None:
    assert is_partner_search(text) or is_call_on_members(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hat jemand die Folien vom letzten Symposium?",
        "Hat wer den Link zur Umfrage?",
        "Kann mir jemand die Zugangsdaten für den Mitgliederbereich schicken?",
        "Mit wem kann ich über meine Rechnung sprechen?",
        "Wer nimmt die Anmeldungen für das Forum entgegen?",
        "Hat jemand Interesse an meinem Vortrag beim Forum?",
        "Welche Mitglieder können am Forum teilnehmen?",
        "Can you recommend a good restaurant near the venue?",
        "Könnt ihr mir ein gutes Restaurant empfehlen?",
        "Does anyone have the slides from yesterday?",
        "Does anybody here know the dress code for the symposium?",
        "Is anyone going to the symposium by train?",
        "Are there members who still need to pay their fee?",
        "We would like to cooperate with the office on a press release.",
        "Can anyone tell me how to update my profile?",
        "hat jemand lust einen vortrag beim symposium zu halten?",
        "Anyone with experience giving talks at conferences?",
        "Wer arbeitet in der Geschäftsstelle?",
        "who works in the office on fridays?",
        "Wo ist die Mitgliederliste, in der ich sehe, wer an Holzvergasung arbeitet?",
        "Is there a list where I can see who works on bioleaching?",
        "Who is speaking about zinc at the forum?",
        "anyone doing the excursion on friday?",
        "anyone working on the slides for the forum?",
        "macht hier jemand was zum Sommerfest?",
        "Wie finde ich einen Partner?",
        "Wie erreiche ich einen Ansprechpartner für meine Rechnung?",
        "Wo finde ich einen Experten für die Anmeldung zum Forum?",
        "where can I find a list of members for the forum?",
        "How do I find a member of the office to talk to about my invoice?",
        "Which members are coming to the summer party?",
        "Which members have paid their fee?",
        "Which members can see my profile?",
        "Any members coming to the forum?",
        "Welche Mitglieder kommen zum Sommerfest?",
        "Welche Mitglieder arbeiten an der Anmeldung zum Forum?",
    ],
)
def test_questions_to_everybody_about_the_network_are_no_calls(text: str) -> None:
    assert not is_partner_search(text) and not is_call_on_members(text)


# Written for networks in other fields (food, water, timber construction, hydrogen, IT):
# nothing in the rules may name one network's topics.
@pytest.mark.parametrize(
    "text",
    [
        "Wir suchen einen Tragwerksplaner für eine Aufstockung in Holzbauweise.",
        "Wir suchen eine Mosterei, die unsere Streuobstäpfel presst.",
        "Wir brauchen erfahrene Installateure für Elektrolyseanlagen.",
        "Gesucht wird ein Gutachter für unsere Wasserstofftankstelle.",
        "Brandschutzplaner für Holzhybridbau gesucht.",
        "Wir suchen eine Kommune, die ein Testgebiet für Regenwassernutzung stellt.",
        "Wir benötigen einen Zweckverband für ein Pilotprojekt zur Grauwassernutzung.",
        "Wir suchen einen Softwareentwickler, der unsere Warenwirtschaft an den Webshop anbindet.",
        "Wer entkalkt Wärmetauscher in Lebensmittelbetrieben?",
        "Wer kann unsere Abwässer aus der Käserei vorbehandeln?",
        "Looking for a bakery that could supply gluten-free rolls.",
        "We need installers for heat pumps in rural areas.",
        "Who could test drinking water samples for legionella?",
        "We are looking for a penetration tester for our customer portal.",
        "Is there a carpenter in the network who could repair old timber windows?",
        "Who makes dowel-laminated timber in Saxony?",
        "We need a tool that can log temperatures in our cold store.",
        # an organisation looking for one of something: a provider, whatever the noun
        "Wir suchen eine Spedition für Gefahrguttransporte von Altbatterien.",
        "Dafür suchen wir nach einer zuverlässigen Werkstatt in Südniedersachsen.",
        "We are looking for a patent attorney with a chemistry background.",
        "We're currently looking for an accredited certification body for our plant.",
        # asked as a question, as "Gibt es eine Hochschule, die …" is
        "Is there a university that could analyse the sugar content of our juice?",
        "Do you know a lab that tests drinking water?",
    ],
)
def test_partner_searches_in_other_fields_are_recognised(text: str) -> None:
    assert is_partner_search(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ich suche den Newsletter-Abmeldelink.",
        "Wer kann teilnehmen?",
        "Wer kann mein Profil sehen?",
        "Wann ist die Geschäftsstelle erreichbar?",
        "Ich brauche eine neue Rechnung für den Jahresbeitrag.",
        "Ich brauche einen Termin bei der Geschäftsstelle.",
        "Ich brauche einen Kalender mit allen Veranstaltungen.",
        "Wir brauchen Fördergelder für eine neue Abfüllanlage.",
        "Ich brauche eine Bescheinigung, die unsere Mitgliedschaft bestätigt.",
        "Ich suche ein Formular, das ich für die Exkursion ausfüllen muss.",
        "Wir suchen einen Praktikanten für die Qualitätssicherung.",
        "Wer organisiert das Sommerfest?",
        "Gibt es einen Newsletter zum Thema Wasserstoff?",
        "Ich brauche eine Liste aller Mitglieder.",
        "I need the invoice.",
        "I need a reminder for the symposium.",
        "We are looking for the registration form.",
        "I need a number to call the office.",
        "I need a letter confirming our membership.",
        "I need a poster template for the hydrogen day.",
        "I need a folder with last year's slides.",
        "I need an order confirmation.",
        "Who can I contact about my invoice?",
        "Who can join the network?",
        "Who can attend the water forum?",
        "Who can sign up for the excursion?",
        "Who can send me the form again?",
        "Who can check the allergen list on our labels?",
        "How much is the membership fee?",
        "When is the office open?",
        "I need a login for the member area.",
        "We need volunteers for the registration desk.",
        # looking for one of something that is no party: a means, a post, a document
        "Wir suchen eine Möglichkeit, unsere Mitgliedschaft ruhen zu lassen.",
        "Wir suchen eine Vorlage für den Förderantrag.",
        "Wir suchen eine Fachkraft für Lebensmitteltechnik.",
        "We are looking for a way to update our member profile.",
        "We are looking for a job in water management.",
        "We are looking for a hotel for the excursion registration.",
    ],
)
def test_member_questions_in_other_fields_are_not_partner_searches(text: str) -> None:
    assert not is_partner_search(text)


# Built as a search in ways the first rules missed: a verb of taking the member's own
# leftovers, a clause going on after the verb, a service a partner gives, coordinated
# actors, "which"/"any" with an actor, a request for contacts.
@pytest.mark.parametrize(
    "text",
    [
        "Wer nimmt unsere Trester zur Weiterverarbeitung?",
        "Wer kauft unsere Restposten an Dämmplatten?",
        "Wer hilft beim Genehmigungsantrag für eine Kleinkläranlage?",
        "Wer kann uns Hackschnitzel liefern, am liebsten per Lkw?",
        "Wir suchen wissenschaftliche Begleitung für einen Feldversuch mit Regenspeichern.",
        "Bitte um Kontakte zu Saftkeltereien im Harz.",
        "Is there anyone who could take our spent grain?",
        "Which bakeries can supply sourdough bread for 300 guests?",
        "Any timber engineer in the network?",
        "Is any maker of heat pumps willing to share field data?",
        "We are looking for a dairy or cheese maker willing to test our sensors.",
        "Who takes our offcuts from window production?",
        "Could someone in the network process our used frying oil?",
        "Please put us in touch with cider makers.",
        "Hat jemand Kontakte zu einem Abfüllbetrieb für Säfte?",
        "Kann uns jemand mit einer Zimmerei in Kontakt bringen?",
    ],
)
def test_searches_built_in_other_ways_are_recognised(text: str) -> None:
    assert is_partner_search(text)


# The same constructions about the member's own business with the office.
@pytest.mark.parametrize(
    "text",
    [
        "Wer hilft mir bei der Anmeldung?",
        "Wer kann mir bei der Registrierung helfen?",
        "Wer kann die Rechnung ändern?",
        "Wer kann den Newsletter abbestellen?",
        "Wer nimmt unsere Anmeldung entgegen?",
        "Wer nimmt unsere Fragen entgegen?",
        "Ich brauche Beratung zu meiner Mitgliedschaft.",
        "Wir brauchen Unterstützung bei der Anmeldung.",
        "Who could take our registration?",
        "Who can help me with my invoice?",
        "Who can process our membership application?",
        "Who can help us with the registration?",
        "Which members can see my profile?",
        "Which members can I contact about the excursion?",
        "Are any members coming to the symposium?",
        "Which documents can I upload?",
        "Can you put me in touch with the office?",
        "Hat jemand Kontakt zur Geschäftsstelle?",
        "Wie nehme ich Kontakt zu anderen Mitgliedern auf?",
        "Can anyone in the network attend the forum?",
        "Can someone process my registration?",
    ],
)
def test_office_questions_built_like_searches_are_not_partner_searches(text: str) -> None:
    assert not is_partner_search(text)


# -- CSV and evaluation ---------------------------------------------------------

HEADER = "id,organisation,kind,city,role,languages,young_professional,topics,bio\n"


def test_load_members_csv_reads_lists_and_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text(
        HEADER.rstrip("\n") + ",telegram,consent\n"
        'q1,"Muster GmbH (fiktiv)",company,Goslar,CTO,de;en,true,"Zink;Schlacken","Bio.",@x,no\n',
        encoding="utf-8",
    )
    [loaded] = load_members_csv(path)
    assert loaded.topics == ("Zink", "Schlacken")
    assert loaded.languages == ("de", "en")
    assert loaded.young_professional is True
    assert loaded.consent is False


def test_missing_column_is_a_value_error_naming_the_line(tmp_path: Path) -> None:
    # only the organisation is required beside the id: a directory without roles still loads
    path = tmp_path / "members.csv"
    path.write_text("id,kind,city\nq1,company,Goslar\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 1.*organisation"):
        load_members_csv(path)
    path.write_text("id,organisation,kind,city\nq1,Muster,company,Goslar\n", encoding="utf-8")
    [loaded] = load_members_csv(path)
    assert (loaded.organisation, loaded.role, loaded.topics) == ("Muster", "", ())


def test_short_row_is_a_value_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text(
        HEADER + 'q1,"Muster GmbH",company,Goslar,CTO,de,false,"Zink","Bio"\nq2,"Kurz"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="line 3"):
        load_members_csv(path)


def test_evaluation_run_prints_one_json_line(tmp_path: Path) -> None:
    members = tmp_path / "members.csv"
    members.write_text(
        HEADER
        + 'p1,"Kupfer Handel GmbH (fiktiv)",company,Goslar,CEO,de,false,"Kupferschrott;Schrotthandel","Kauft Schrott."\n'  # noqa: E501
        + 'p2,"Solar eG (fiktiv)",company,Halle,CEO,de,false,"Photovoltaik","Betreibt Solarparks."\n'  # noqa: E501
        + 'p3,"Stadt (fiktiv)",municipality,Halle,Amt,de,false,"Wertstoffhöfe","Kommune."\n',
        encoding="utf-8",
    )
    requests = tmp_path / "requests.jsonl"
    lines = [
        {
            "id": "r1",
            "member": "p3",
            "lang": "de",
            "text": "Wer kauft Kupferschrott?",
            "relevant": ["p1"],
        },
        {
            "id": "r2",
            "member": "p3",
            "lang": "de",
            "text": "Wer recycelt Matratzen?",
            "relevant": [],
        },
    ]
    requests.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    out = io.StringIO()
    assert run(members, requests, 5, True, out) == 0
    result = json.loads(out.getvalue())
    assert set(result) == {"n", "recall_at_k", "precision_at_k", "empty_ok", "baseline"}
    assert result["n"] == 2
    assert result["recall_at_k"] == 1.0
    assert result["empty_ok"] == 1.0
    table = io.StringIO()
    assert run(members, requests, 5, False, table) == 0
    assert "recall_at_k" in table.getvalue()


def test_replace_keeps_candidate_frozen() -> None:
    original = DIRECTORY[0]
    changed = replace(original, consent=False)
    assert original.consent and not changed.consent


# -- requests with several needs -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needs"),
    [
        ("We need a copper supplier and a lab for the LCA.", 2),
        ("Wir suchen einen Ofenbauer sowie einen Lieferanten für Wasserstoff.", 2),
        ("Partner für die Planung und für die Erkundung der Halde gesucht.", 2),
        # a second question, or a second step, joined to the first
        ("Who can repair our shredder, and is there a lab that tests the dust?", 2),
        ("Wer wartet Pumpen, und gibt es eine Hochschule für die Messungen?", 2),
        ("Erst brauchen wir ein Institut für die Studie, dann einen Anlagenbauer.", 2),
        # an adverb of addition between the conjunction and the new need
        ("Wir suchen einen Ofenbauer und zusätzlich ein Labor für die Schlacke.", 2),
        ("We need a copper supplier and additionally a lab for the LCA.", 2),
        ("Wir suchen Recycling von Aluminium und zusätzlich Kupfer.", 1),
        # or standing for the conjunction after a comma, a partner of its own following
        ("Wir suchen ein Labor für Indium, außerdem eine Firma, die Sensoren baut.", 2),
        ("We need a copper supplier, additionally a lab for the LCA.", 2),
        ("Wir suchen einen Ofenbauer, außerdem mit Erfahrung in Förderanträgen.", 1),
        # a sentence opening with a conjunction or an adverb of addition adds a need; a
        # dash before the conjunction breaks the sentence
        ("Wer repariert unseren Brecher? Und wir suchen ein Labor für den Staub.", 2),
        ("We need a copper supplier. Also, a lab for the LCA would help.", 2),
        ("Wir suchen Kupferschrott – und gern Kontakt zu Betrieben, die ihn sortieren.", 2),
        ("Wir suchen einen Ofenbauer. Idealerweise ein KMU.", 1),
        # lists and relative clauses describe one partner
        ("Looking for a lab to measure copper, zinc and lead.", 1),
        ("Wir suchen jemanden, der Altholz abholt und die Nägel aussortiert.", 1),
        ("Wer kann Solventextraktion und Elektrolyse auslegen?", 1),
    ],
)
def test_requests_split_into_their_needs(text: str, needs: int) -> None:
    assert len(split_needs(text)) == needs


@pytest.mark.parametrize(
    "text",
    [
        "We need a supplier of copper scrap for our smelter and someone who can do the "
        "life cycle assessment of the process.",
        "Wir suchen Lieferanten für Kupferschrott für unseren Schachtofen sowie einen "
        "Partner, der die Ökobilanz des Verfahrens erstellt.",
    ],
)
def test_each_need_of_a_request_finds_its_member(ranker: PartnerRanker, text: str) -> None:
    # each member covers only half of the request, but one need fully
    assert set(ids(ranker, text)) == {"a1", "b1"}


def test_a_single_need_is_not_split(ranker: PartnerRanker) -> None:
    assert ids(ranker, "Wir suchen einen Partner für Photovoltaik und Bürgerbeteiligung.") == ["f1"]


def test_a_need_naming_a_kind_is_met_only_by_members_of_that_kind() -> None:
    demo = PartnerRanker(load_members_csv(DEMO_DIR / "members.csv"))
    text = (
        "We are looking for a company that can supply us with black mass from e-bike batteries, "
        "and a municipality that collects old batteries"
    )
    found = [m.member_id for m in demo.rank(text, "en", requester_id="nobody")]
    assert found == ["demo-anna"]  # a recycling company, no municipality
    met = dict(demo.needs_met(text, found, requester_id="nobody"))
    assert met["a municipality that collects old batteries"] == 0


def test_a_member_reached_for_one_need_is_not_counted_for_the_other() -> None:
    # A walkthrough's two needs: the battery recycler and the institute fit the lab for black
    # mass; scrap and processing words make them share a little with the sorting need, which
    # the sensor-based sorter alone fits. Each is told the need it was asked for.
    demo = PartnerRanker(load_members_csv(DEMO_DIR / "members.csv"))
    lab = "wir suchen ein labor das schwarzmasse analysieren kann"
    sorting = "jemand fürs sortieren von hartmetallschrott mit sensorik"
    text = f"{lab} und ausserdem {sorting}"
    found = [m.member_id for m in demo.rank(text, "de", requester_id="demo-finn")]
    assert sorted(found) == ["demo-anna", "demo-ben", "demo-eva"]
    assert demo.needs_met(text, found, requester_id="demo-finn") == [(lab, 2), (sorting, 1)]
    assert demo.needs_of(text, found, requester_id="demo-finn") == {
        "demo-anna": (lab,),
        "demo-ben": (lab,),
        "demo-eva": (sorting,),
    }


def test_carbide_alone_is_hard_metal() -> None:
    # English says "carbide" for Hartmetall (trans-de-en); the demo's recycler of used
    # hard-metal tools ("Hartmetallwerkzeuge") fits in both languages.
    demo = PartnerRanker(load_members_csv(DEMO_DIR / "members.csv"))
    english = demo.rank("I need someone who recycles carbide tools", "en", requester_id="x")
    german = demo.rank("Wer recycelt Hartmetallwerkzeuge?", "de", requester_id="x")
    assert [m.member_id for m in english][:1] == [m.member_id for m in german][:1] != []


def test_an_english_phrase_finds_the_german_word_the_dictionary_gives_for_it() -> None:
    # Word by word "works" and "farm" translate to nothing of the kind; the dictionary gives
    # "Kläranlage" for "sewage works" and "Windpark" for "wind farm" (trans-de-en).
    directory = [
        member("k1", ("Kläranlage", "Klärschlamm"), kind="municipality"),
        member("w1", ("Windpark", "Rotorblätter")),
        member("x1", ("Schlosserei", "Metallbau")),
    ]
    ranker = PartnerRanker(directory)
    sewage = ranker.rank("Is there a sewage works among the members?", "en", requester_id="x")
    wind = ranker.rank("Looking for the operator of a wind farm nearby", "en", requester_id="x")
    assert [m.member_id for m in sewage] == ["k1"]
    assert [m.member_id for m in wind] == ["w1"]


def test_a_glossary_phrase_finds_a_member_naming_each_of_its_words() -> None:
    # The demo's Clausthal institute names "Seltene Erden" and "Magnetschrott", not the
    # glossary's concept of rare-earth magnets as such.
    demo = PartnerRanker(load_members_csv(DEMO_DIR / "members.csv"))
    text = "we are looking for an industry partner for recycling rare earth magnets"
    assert [m.member_id for m in demo.rank(text, "en", requester_id="x")] == ["demo-ben"]


def test_a_german_plural_s_after_a_vowel_is_the_glossarys_word() -> None:
    # "Akkus" keeps its -s in the stemmer; the glossary knows "Akku" as a battery
    demo = PartnerRanker(load_members_csv(DEMO_DIR / "members.csv"))
    found = demo.rank("wer recycelt alte akkus", "de", requester_id="x")
    assert [m.member_id for m in found][:1] == ["demo-anna"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # what the requester says they are is no kind of partner sought (walkthrough
        # 2026-12-07: "I am a researcher …" reached research institutes only)
        ("I am a researcher and we look for a partner for hydrometallurgy", frozenset()),
        ("Wir sind eine Hochschule und suchen ein Unternehmen für Leiterplatten", {"company"}),
        ("We are a municipality looking for a company that collects e-waste", {"company"}),
        ("Als Hochschule suchen wir Partner für Leiterplatten", frozenset()),
        # "wir sind auf der Suche nach …" says nothing of the requester's kind
        ("Wir sind auf der Suche nach einer Hochschule für Schwarzmasse", {"university"}),
        # a definite article names something known, the requester's plan or operation
        ("Wer prüft Filter im laufenden Anlagenbetrieb?", frozenset()),
        ("For the municipal waste plan we need a sorting partner", frozenset()),
        ("Wir suchen eine Firma, die Staub im Labor misst", {"company"}),
    ],
)
def test_what_the_requester_is_names_no_kind_sought(
    ranker: PartnerRanker, text: str, kinds: set[str]
) -> None:
    assert ranker.kinds.requested(text)[0] == kinds


@pytest.mark.parametrize(
    ("text", "either"),
    [
        ("We need a lab or a university for dust tests", True),
        ("Wir suchen eine Hochschule oder ein Institut für Schlacke", True),
        ("Wir suchen eine Hochschule und ein Labor für Schlacke", False),
        ("Looking for a university lab for dust tests", False),
    ],
)
def test_kinds_joined_by_or_are_alternatives(
    ranker: PartnerRanker, text: str, either: bool
) -> None:
    assert ranker.kinds.alternatives(text) is either
