from qorgau.people.models import Juvenile


def test_a_juvenile_registered_in_auezov_is_visible_to_its_investigator(juvenile, investigator):
    assert list(Juvenile.objects.visible_to(investigator)) == [juvenile]


def test_the_outsider_in_astana_sees_nothing(juvenile, outsider):
    assert Juvenile.objects.visible_to(outsider).exists() is False
