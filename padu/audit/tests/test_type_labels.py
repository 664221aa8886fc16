"""The audit trail names object types by the model's verbose name; the filter keeps the value."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import translation

from padu.accounts.models import User
from padu.audit import services as audit
from padu.audit.models import AuditAction
from padu.audit.views import object_type_label
from padu.organizations.models import Agency, Unit


def test_object_type_label_is_the_translated_verbose_name() -> None:
    with translation.override("id"):
        assert object_type_label("accounts.membership") == "Keanggotaan"
        assert object_type_label("evaluation.assessment") == "Penilaian indikator"
    with translation.override("en"):
        assert object_type_label("evaluation.assessment") == "Indicator assessment"
    assert object_type_label("gone.model") == "gone.model"
    assert object_type_label("") == ""


def test_the_trail_shows_labels_and_filters_by_value(
    client: Client, agency: Agency, admin_user: User, units: dict[str, Unit]
) -> None:
    audit.record_create(units["dinkes"], actor=admin_user, agency=agency)
    client.force_login(admin_user)
    response = client.get(reverse("audit:event_list"), {"object_type": "organizations.unit"})
    html = response.content.decode()
    label = object_type_label("organizations.unit")
    assert label not in ("", "organizations.unit")
    assert f'<option value="organizations.unit" selected>{label}</option>' in html
    assert [e.action for e in response.context["page"]] == [AuditAction.CREATE]
    assert f'<small title="organizations.unit">{label}</small>' in html
