"""Country names pycountry does not carry: usual short forms, participants' own names, ambiguous names.

pycountry gives every ISO 3166-1 code and the short, official and common English names, with their
French, Spanish and Arabic translations (data_ingest.countries reads them). What is here is only
what people write that it lacks, in the Alliance's working languages and in the participants' own
languages. Each name is compared folded (data_ingest.countries.fold), so one spelling is enough:
case, accents, punctuation, spaces and Arabic letter variants do not matter.
"""

from __future__ import annotations

#: Name -> alpha-3, for names that mean one country. A name here never takes the place of a code
#: (tests/data_ingest/test_countries.py checks that none folds to one).
SHORT_FORMS: dict[str, str] = {
    # English
    "UK": "GBR",
    "Great Britain": "GBR",
    "Britain": "GBR",
    "EL": "GRC",  # the EU's code for Greece
    "Hellas": "GRC",
    "Turkey": "TUR",
    "Holland": "NLD",
    "Russia": "RUS",
    "Korea South": "KOR",
    "S Korea": "KOR",
    "ROK": "KOR",
    "DPRK": "PRK",
    "Ivory Coast": "CIV",
    "Cape Verde": "CPV",
    "Swaziland": "SWZ",
    "Macedonia": "MKD",
    "FYROM": "MKD",
    "Burma": "MMR",
    "East Timor": "TLS",
    "Brunei": "BRN",
    "Vatican": "VAT",
    "Vatican City": "VAT",
    "UAE": "ARE",
    "Palestine": "PSE",
    "Bosnia": "BIH",
    "Bosnia Herzegovina": "BIH",
    "DRC": "COD",
    "DR Congo": "COD",
    "Congo Kinshasa": "COD",
    "Republic of Congo": "COG",
    "Congo Brazzaville": "COG",
    "Guinea Conakry": "GIN",
    # French
    "Russie": "RUS",
    "Grande-Bretagne": "GBR",
    "Hollande": "NLD",
    "Macédoine": "MKD",
    "Biélorussie": "BLR",
    "RDC": "COD",
    "RD Congo": "COD",
    "Guinée-Conakry": "GIN",
    # Spanish
    "Rusia": "RUS",
    "Gran Bretaña": "GBR",
    "EE. UU.": "USA",
    "EEUU": "USA",
    "Holanda": "NLD",
    "Bielorrusia": "BLR",
    "Vaticano": "VAT",
    # Arabic
    "روسيا": "RUS",
    "بريطانيا": "GBR",
    "الولايات المتحدة الأمريكية": "USA",
    "أمريكا": "USA",
    "كوريا الجنوبية": "KOR",
    "كوريا الشمالية": "PRK",
    "تركيا": "TUR",
    "مولدوفا": "MDA",
    "المالديف": "MDV",
    "صربيا": "SRB",
    "الجبل الأسود": "MNE",
    "سوريا": "SYR",
    "إيران": "IRN",
    "لاوس": "LAO",
    "الفاتيكان": "VAT",
    "تشيكيا": "CZE",
    "الإمارات": "ARE",
    "فلسطين": "PSE",
    "الكونغو الديمقراطية": "COD",
    "كوت ديفوار": "CIV",
    "بيلاروسيا": "BLR",
    # The participants' own names, where they differ from the names above
    "Shqipëria": "ALB",
    "Österreich": "AUT",
    "België": "BEL",
    "Belgien": "BEL",
    "България": "BGR",
    "Hrvatska": "HRV",
    "Kampuchea": "KHM",
    "កម្ពុជា": "KHM",
    "Κύπρος": "CYP",
    "Česko": "CZE",
    "Česká republika": "CZE",
    "Danmark": "DNK",
    "Eesti": "EST",
    "Suomi": "FIN",
    "საქართველო": "GEO",
    "Sakartvelo": "GEO",
    "Deutschland": "DEU",
    "Ελλάδα": "GRC",
    "Ελλάς": "GRC",
    "Magyarország": "HUN",
    "Éire": "IRL",
    "Italia": "ITA",
    "日本": "JPN",
    "Nippon": "JPN",
    "Nihon": "JPN",
    "Latvija": "LVA",
    "Lietuva": "LTU",
    "Lëtzebuerg": "LUX",
    "Luxemburg": "LUX",
    "Crna Gora": "MNE",
    "Црна Гора": "MNE",
    "Nederland": "NLD",
    "Aotearoa": "NZL",
    "Norge": "NOR",
    "Noreg": "NOR",
    "Pilipinas": "PHL",
    "Polska": "POL",
    "România": "ROU",
    "Srbija": "SRB",
    "Србија": "SRB",
    "Slovensko": "SVK",
    "Slovenija": "SVN",
    "대한민국": "KOR",
    "한국": "KOR",
    "España": "ESP",
    "Sverige": "SWE",
    "Schweiz": "CHE",
    "Svizzera": "CHE",
    "Svizra": "CHE",
    "ประเทศไทย": "THA",
    "Україна": "UKR",
}

#: Names that can mean several countries, with the countries they can mean (the likeliest first).
#: Such a name is refused naming them all, unless exactly one of them is a registered participant:
#: then it means that participant (a file can only hold participants' figures).
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "Korea": ("KOR", "PRK"),
    "Corée": ("KOR", "PRK"),
    "Corea": ("KOR", "PRK"),
    "كوريا": ("KOR", "PRK"),
    "Congo": ("COG", "COD"),
    "الكونغو": ("COG", "COD"),
    "Guinea": ("GIN", "GNB", "GNQ"),
    "Guinée": ("GIN", "GNB", "GNQ"),
    "غينيا": ("GIN", "GNB", "GNQ"),
    "Virgin Islands": ("VGB", "VIR"),
    "Îles Vierges": ("VGB", "VIR"),
    "Islas Vírgenes": ("VGB", "VIR"),
}

#: Translations in pycountry's catalogues that are wrong, as (language, English name): left out.
CATALOGUE_ERRORS: frozenset[tuple[str, str]] = frozenset(
    {
        ("ar", "Moldova"),  # translated as المالديف, the Maldives
    }
)
