"""Countries by the names a news text gives them: "the US", "the USA", "the United States",
"American", "the UK", "British", "Holland", "Dutch". A rewrite that says "American" where its
source says "US" names the same country; a changed-name flag there is noise people would not
agree with (issue 14). Names the data does not list ("America", "Britain") are left to
changes.same_name's other rules ("Britain" / "British" are kin there).

The names come from countryinfo (its wheel ships each country's name, alternative spellings and
ISO codes, and demonym). A demonym that several entries share ("American": the United States and
American Samoa; "French": France and its territories) names the most populous of them.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _countries() -> dict[tuple[str, ...], str]:
    """Name key (facts.name_key) -> the country's name, for every name, spelling and demonym."""
    from countryinfo import CountryInfo

    from .facts import name_key

    entries = sorted(CountryInfo.all().values(), key=lambda c: -(c.get("population") or 0))
    out: dict[tuple[str, ...], str] = {}
    for country in entries:  # the most populous first: a shared demonym stays with it
        name = country.get("name")
        if not name:
            continue
        spellings = [name, country.get("nativeName") or "", *(country.get("altSpellings") or [])]
        demonym = country.get("demonym") or ""
        for text in [*spellings, demonym, demonym + "s" if demonym and not demonym.endswith("s") else ""]:
            key = name_key(text) if text else ()
            if key:
                out.setdefault(key, name)
    return out


def same_country(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Do these two name keys name one country ("us" / "american", "uk" / "british")?"""
    if a == b:
        return False  # not a question of countries
    table = _countries()
    country = table.get(a)
    return country is not None and country == table.get(b)
