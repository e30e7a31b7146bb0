from django.utils import translation

from wpsmonitor.core.names import localized_name


def test_reference_names_follow_the_reader_language() -> None:
    with translation.override("fr"):
        assert localized_name("Congo, The Democratic Republic of the") == (
            "République démocratique du Congo"
        )
        assert localized_name("Female") == "Femme"
        assert localized_name("Sex × Age group") == "Sexe × Tranche d’âge"
        assert localized_name("Government (official)") == "Gouvernement (officiel)"
        assert localized_name("Ministère du Genre, Famille et Enfant") == (
            "Ministère du Genre, Famille et Enfant"
        )
    with translation.override("en"):
        assert localized_name("Female") == "Female"


def test_countries_go_by_their_common_short_name() -> None:
    """Issue 12 §6: not "Congo, The Democratic Republic of the" everywhere."""
    with translation.override("en"):
        assert localized_name("Congo, The Democratic Republic of the") == (
            "Democratic Republic of the Congo"
        )
        assert localized_name("Tanzania, United Republic of") == "Tanzania"
        assert localized_name("Kenya") == "Kenya"
    with translation.override("fr"):
        assert localized_name("Tanzania, United Republic of") == "Tanzanie"
        assert localized_name("Korea, Republic of") == "Corée du Sud"
