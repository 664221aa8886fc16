"""The role picker starts empty and a missing role is refused with a clear message."""

from __future__ import annotations

from django.utils import translation

from padu.accounts.forms import MembershipForm


def test_role_picker_starts_empty_and_requires_a_choice(agency) -> None:
    translation.activate("en")
    form = MembershipForm(agency=agency)
    assert form.fields["role"].choices[0] == ("", "---------")
    assert 'value="" selected' in str(form["role"])
    bound = MembershipForm({"role": ""}, agency=agency)
    assert not bound.is_valid()
    assert bound.errors["role"] == ["Choose a role."]
    translation.activate("id")
