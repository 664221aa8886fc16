"""The indicator page and its actions: permission cases first, then the flow and bad input."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from padu.accounts.choices import Role
from padu.accounts.models import Membership, Notification
from padu.evaluation.choices import AssessmentStatus, EvidenceKind
from padu.evaluation.models import Assessment, Criterion, Evidence, EvidenceLink


@pytest.fixture
def assessment(period) -> Assessment:
    return period.assessments.get(indicator__number=1)


def criteria_up_to(a: Assessment, level: int) -> list[int]:
    return list(
        Criterion.objects.filter(level__indicator=a.indicator, level__level__lte=level).values_list(
            "pk", flat=True
        )
    )


def save(client: Client, a: Assessment, **changes) -> object:
    a.refresh_from_db()
    data = {
        "checked": criteria_up_to(a, 3),
        "claimed_level": 3,
        "claim_justification": "",
        "explanation": "Sudah ditetapkan Perwali.",
        "revision": a.revision,
    }
    data.update(changes)
    return client.post(reverse("evaluation:assessment_save", args=[a.pk]), data)


POSTS = [
    "assessment_save",
    "assessment_submit",
    "evidence_attach",
    "comment_add",
    "review_start",
    "review_return",
    "review_accept",
    "assessment_reopen",
]


def test_anonymous_is_sent_to_login(client: Client, assessment) -> None:
    for name in ["assessment_detail", *POSTS]:
        response = client.post(reverse(f"evaluation:{name}", args=[assessment.pk]))
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["assessment_detail", *POSTS])
def test_another_agency_gets_404(client: Client, assessment, outsider, name: str) -> None:
    client.force_login(outsider)
    method = client.get if name == "assessment_detail" else client.post
    assert method(reverse(f"evaluation:{name}", args=[assessment.pk])).status_code == 404


def test_read_only_viewer_sees_the_page_but_cannot_save(client: Client, assessment, viewer) -> None:
    client.force_login(viewer)
    page = client.get(reverse("evaluation:assessment_detail", args=[assessment.pk]))
    assert page.status_code == 200
    assert page.context["can_edit"] is False
    assert save(client, assessment).status_code == 403
    assessment.refresh_from_db()
    assert assessment.claimed_level is None


def test_another_unit_cannot_save(client: Client, assessment, disdik_admin) -> None:
    client.force_login(disdik_admin)
    assert save(client, assessment).status_code == 403


def test_lead_unit_saves_and_the_change_is_in_the_history(
    client: Client, assessment, dinkes_admin
) -> None:
    client.force_login(dinkes_admin)
    assert save(client, assessment).status_code == 302
    assessment.refresh_from_db()
    assert assessment.claimed_level == 3
    page = client.get(reverse("evaluation:assessment_detail", args=[assessment.pk]))
    assert page.context["history"][0].after["claimed_level"] == 3


def test_a_claim_above_the_checklist_needs_a_justification(
    client: Client, assessment, dinkes_admin
) -> None:
    client.force_login(dinkes_admin)
    response = save(client, assessment, claimed_level=4)
    assert response.status_code == 400
    assert "claim_justification" in response.context["form"].errors
    assert response.context["form"]["explanation"].value() == "Sudah ditetapkan Perwali."
    assessment.refresh_from_db()
    assert assessment.claimed_level is None


def test_a_level_outside_the_instrument_is_refused(
    client: Client, assessment, dinkes_admin
) -> None:
    client.force_login(dinkes_admin)
    assert save(client, assessment, claimed_level=6).status_code == 400


def test_a_concurrent_save_is_refused_and_keeps_the_users_text(
    client: Client, assessment, dinkes_admin, coordinator
) -> None:
    stale_revision = assessment.revision
    other = Client()
    other.force_login(coordinator)
    assert save(other, assessment, explanation="Versi koordinator").status_code == 302
    client.force_login(dinkes_admin)
    response = client.post(
        reverse("evaluation:assessment_save", args=[assessment.pk]),
        {
            "checked": [],
            "claimed_level": 1,
            "explanation": "Versi OPD",
            "revision": stale_revision,
        },
    )
    assert response.status_code == 409
    assert response.context["form"]["explanation"].value() == "Versi OPD"
    assert response.context["conflict"].explanation == "Versi koordinator"
    assessment.refresh_from_db()
    assert assessment.explanation == "Versi koordinator"
    # The page now carries the saved version's revision: having compared, the user saves again.
    html = response.content.decode()
    assert f'name="revision" value="{assessment.revision}"' in html
    response = client.post(
        reverse("evaluation:assessment_save", args=[assessment.pk]),
        {
            "checked": [],
            "claimed_level": 1,
            "explanation": "Versi OPD",
            "revision": assessment.revision,
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.explanation == "Versi OPD"


def test_evidence_of_the_library_is_attached_to_a_level(
    client: Client, assessment, dinkes_admin, units
) -> None:
    evidence = Evidence.objects.create(
        agency=assessment.period.agency,
        owner_unit=units["dinkes"],
        title="Perwali 12/2023",
        kind=EvidenceKind.REGULATION,
    )
    client.force_login(dinkes_admin)
    client.post(
        reverse("evaluation:evidence_attach", args=[assessment.pk]),
        {"evidence": evidence.pk, "level": 2},
    )
    link = EvidenceLink.objects.get(assessment=assessment)
    assert link.level == 2
    client.post(reverse("evaluation:evidence_detach", args=[assessment.pk, link.pk]))
    assert not EvidenceLink.objects.exists()
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_full_review_flow(client: Client, assessment, dinkes_admin, assessor, coordinator) -> None:
    client.force_login(dinkes_admin)
    save(client, assessment)
    client.post(reverse("evaluation:assessment_submit", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert Notification.objects.filter(user=assessor).exists()

    reviewer = Client()
    reviewer.force_login(assessor)
    reviewer.post(reverse("evaluation:review_return", args=[assessment.pk]), {"return-reason": ""})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED  # a reason is required
    reviewer.post(
        reverse("evaluation:review_return", args=[assessment.pk]),
        {"return-reason": "Lampirkan Perwali yang sudah ditetapkan."},
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED
    assert Notification.objects.filter(user=dinkes_admin, title__contains="1").exists()

    save(client, assessment, explanation="Perwali terlampir.")
    client.post(reverse("evaluation:assessment_submit", args=[assessment.pk]))
    reviewer.post(reverse("evaluation:review_accept", args=[assessment.pk]), {"validated_level": 3})
    assessment.refresh_from_db()
    assert (assessment.status, assessment.validated_level) == (AssessmentStatus.ACCEPTED, 3)

    client.post(
        reverse("evaluation:assessment_reopen", args=[assessment.pk]), {"reopen-reason": "x"}
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.ACCEPTED  # only the koordinator may reopen
    boss = Client()
    boss.force_login(coordinator)
    boss.post(
        reverse("evaluation:assessment_reopen", args=[assessment.pk]),
        {"reopen-reason": "Bukti baru dari BPK"},
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_assessor_cannot_review_their_own_units_indicator(
    client: Client, assessment, dinkes_admin, agency, units, assessor
) -> None:
    Membership.objects.create(
        user=assessor, agency=agency, role=Role.INTERNAL_ASSESSOR, unit=units["dinkes"]
    )
    client.force_login(dinkes_admin)
    save(client, assessment)
    client.post(reverse("evaluation:assessment_submit", args=[assessment.pk]))
    reviewer = Client()
    reviewer.force_login(assessor)
    reviewer.post(reverse("evaluation:review_accept", args=[assessment.pk]), {"validated_level": 3})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_comments_are_posted_and_empty_ones_refused(
    client: Client, assessment, dinkes_admin
) -> None:
    client.force_login(dinkes_admin)
    client.post(reverse("evaluation:comment_add", args=[assessment.pk]), {"body": "  "})
    assert not assessment.comments.exists()
    client.post(reverse("evaluation:comment_add", args=[assessment.pk]), {"body": "Mohon arahan"})
    assert assessment.comments.get().body == "Mohon arahan"


def test_a_reader_sees_the_comments_but_no_form_and_cannot_post(
    client: Client, assessment, viewer
) -> None:
    client.force_login(viewer)
    url = reverse("evaluation:comment_add", args=[assessment.pk])
    page = client.get(reverse("evaluation:assessment_detail", args=[assessment.pk]))
    assert page.status_code == 200 and url not in page.content.decode()
    client.post(url, {"body": "Titip pesan"})
    assert not assessment.comments.exists()


def test_evidence_a_reader_may_not_open_is_listed_without_a_link(
    client: Client, assessment, viewer, coordinator, units
) -> None:
    """The viewer's evidence library is empty: a link would only lead to a 404."""
    evidence = Evidence.objects.create(
        agency=assessment.period.agency,
        owner_unit=units["dinkes"],
        title="SK Tim SPBE",
        kind=EvidenceKind.REGULATION,
    )
    EvidenceLink.objects.create(assessment=assessment, evidence=evidence, level=2)
    url = reverse("evaluation:evidence_detail", args=[evidence.pk])
    page = reverse("evaluation:assessment_detail", args=[assessment.pk])
    client.force_login(viewer)
    html = client.get(page).content.decode()
    assert "SK Tim SPBE" in html and url not in html
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert url in client.get(page).content.decode()


def test_indicator_page_query_count_is_bounded(
    client: Client, assessment, coordinator, units, django_assert_max_num_queries
) -> None:
    for i in range(10):
        ev = Evidence.objects.create(
            agency=assessment.period.agency,
            owner_unit=units["dinkes"],
            title=f"Bukti {i}",
            kind=EvidenceKind.REPORT,
        )
        EvidenceLink.objects.create(assessment=assessment, evidence=ev, level=1 + i % 5)
    client.force_login(coordinator)
    # 16 = 15 + 1 for the recommendations panel (selectors_recommendations, one query).
    with django_assert_max_num_queries(16):
        assert (
            client.get(reverse("evaluation:assessment_detail", args=[assessment.pk])).status_code
            == 200
        )
