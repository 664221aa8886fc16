"""Register pages: the permission matrix first, then lists, forms, history and exports."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from padu.audit.models import AuditEvent
from padu.catalog.choices import Decision, Hosting
from padu.catalog.models import Application, Contact, NationalApplication, ReferenceCode, Service

from .register_helpers import app_post, make_app, make_reference, make_service

pytestmark = pytest.mark.django_db

APP_PAGES = ["catalog:application_detail", "catalog:application_edit"]
SERVICE_PAGES = ["catalog:service_detail", "catalog:service_edit"]
LISTS = ["catalog:application_list", "catalog:service_list", "catalog:reference_list"]
CREATES = [
    "catalog:application_create",
    "catalog:application_import",
    "catalog:service_create",
    "catalog:reference_create",
]


@pytest.fixture
def refs(db: None) -> dict[str, ReferenceCode]:
    return make_reference()


@pytest.fixture
def dinkes_app(agency, units) -> Application:
    return make_app(agency, units["dinkes"], "SIMPUS", acronym="SIMPUS")


@pytest.fixture
def disdik_app(agency, units) -> Application:
    return make_app(agency, units["disdik"], "PPDB Online", acronym="PPDB")


@pytest.fixture
def dinkes_service(agency, units) -> Service:
    return make_service(agency, units["dinkes"], "Layanan Puskesmas")


def _url(name: str, app: Application, service: Service) -> str:
    if name in APP_PAGES:
        return reverse(name, args=[app.pk])
    if name in SERVICE_PAGES:
        return reverse(name, args=[service.pk])
    return reverse(name)


@pytest.mark.parametrize("name", [*APP_PAGES, *SERVICE_PAGES, *LISTS, *CREATES])
def test_anonymous_is_sent_to_login(client: Client, dinkes_app, dinkes_service, name) -> None:
    response = client.get(_url(name, dinkes_app, dinkes_service))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", [*APP_PAGES, *SERVICE_PAGES])
def test_another_agency_gets_404(
    client: Client, outsider, dinkes_app, dinkes_service, name
) -> None:
    client.force_login(outsider)
    assert client.get(_url(name, dinkes_app, dinkes_service)).status_code == 404


def test_another_agency_lists_only_its_own_register(client: Client, outsider, dinkes_app) -> None:
    client.force_login(outsider)
    response = client.get(reverse("catalog:application_list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == []


@pytest.mark.parametrize("name", ["catalog:application_edit", "catalog:service_edit", *CREATES])
def test_read_only_viewer_may_not_write(
    client: Client, viewer, dinkes_app, dinkes_service, name
) -> None:
    client.force_login(viewer)
    assert client.get(_url(name, dinkes_app, dinkes_service)).status_code == 403
    assert client.post(_url(name, dinkes_app, dinkes_service), {}).status_code == 403


@pytest.mark.parametrize("name", [*LISTS, "catalog:application_detail", "catalog:service_detail"])
def test_viewer_reads_everything(client: Client, viewer, dinkes_app, dinkes_service, name) -> None:
    client.force_login(viewer)
    assert client.get(_url(name, dinkes_app, dinkes_service)).status_code == 200


def test_admin_opd_edits_only_their_own_opd(
    client: Client, dinkes_admin, dinkes_app, disdik_app, refs
) -> None:
    client.force_login(dinkes_admin)
    assert client.get(reverse("catalog:application_edit", args=[dinkes_app.pk])).status_code == 200
    assert client.get(reverse("catalog:application_edit", args=[disdik_app.pk])).status_code == 403
    for name in ("catalog:application_import", "catalog:reference_create"):
        assert client.get(reverse(name)).status_code == 403


def test_admin_opd_cannot_register_for_another_opd(
    client: Client, dinkes_admin, units, refs
) -> None:
    client.force_login(dinkes_admin)
    response = client.post(reverse("catalog:application_create"), app_post(units["disdik"]))
    assert response.status_code == 200
    assert response.context["form"].errors["owner_unit"]
    assert not Application.objects.exists()


def test_admin_opd_adds_an_application_with_a_contact(
    client: Client, dinkes_admin, units, refs
) -> None:
    client.force_login(dinkes_admin)
    response = client.post(reverse("catalog:application_create"), app_post(units["dinkes"]))
    assert response.status_code == 302, response.context["form"].errors
    app = Application.objects.get(name="e-Posyandu")
    assert response.url == reverse("catalog:application_detail", args=[app.pk])
    assert list(app.reference_codes.values_list("code", flat=True)) == ["RAL.02.04"]
    assert list(Contact.objects.values_list("name", "role")) == [("Budi", "pic")]
    event = AuditEvent.objects.get(object_type="catalog.application", object_id=str(app.pk))
    assert event.after["contacts"][0]["name"] == "Budi"


def test_coordinator_edits_any_application_and_history_shows_it(
    client: Client, coordinator, units, disdik_app, refs
) -> None:
    client.force_login(coordinator)
    data = app_post(units["disdik"], name="PPDB Online", codes="RAB.09.06", business_fit="4")
    response = client.post(reverse("catalog:application_edit", args=[disdik_app.pk]), data)
    assert response.status_code == 302
    disdik_app.refresh_from_db()
    assert disdik_app.business_fit == 4
    detail = client.get(reverse("catalog:application_detail", args=[disdik_app.pk]))
    history = list(detail.context["history"])
    assert history[0].action == "update"
    assert history[0].after["reference_codes"] == ["RAB.09.06"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"codes": "RAL.99.99"}, "codes"),
        ({"business_fit": "6"}, "business_fit"),
        ({"technical_fit": "0"}, "technical_fit"),
        ({"planned_on": "2026-05-01", "production_on": "2026-01-01"}, "production_on"),
        ({"name": "SIMPUS"}, "name"),
    ],
)
def test_bad_input_is_refused_with_a_message(
    client: Client, coordinator, units, dinkes_app, refs, extra, field
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("catalog:application_create"), app_post(units["dinkes"], **extra)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert Application.objects.count() == 1


def test_codes_of_another_agency_are_unknown(
    client: Client, coordinator, units, other_agency, refs
) -> None:
    ReferenceCode.objects.create(
        version=refs["RAL.02.04"].version,
        agency=other_agency,
        model="RAL",
        code="RAL.02.04.07",
        name="Milik daerah lain",
        level=3,
        parent=refs["RAL.02.04"],
    )
    client.force_login(coordinator)
    data = app_post(units["dinkes"], codes="RAL.02.04.07")
    response = client.post(reverse("catalog:application_create"), data)
    assert "RAL.02.04.07" in str(response.context["form"].errors["codes"])


def test_list_filters_search_and_sorts(client: Client, viewer, units, agency, refs) -> None:
    simpeg = make_app(agency, units["dinkes"], "Sistem Kepegawaian", acronym="SIMPEG")
    simpeg.reference_codes.add(refs["RAL.02.04"])
    make_app(agency, units["disdik"], "Absensi Guru", aliases="e-Absen", lifecycle="dihentikan")
    client.force_login(viewer)
    url = reverse("catalog:application_list")

    def names(**params: str) -> list[str]:
        return [a["name"] for a in client.get(url, params).context["page"]]

    assert names(q="absen") == ["Absensi Guru"]
    assert names(q="simpeg") == ["Sistem Kepegawaian"]
    assert names(code="RAL.02") == ["Sistem Kepegawaian"]
    assert names(lifecycle="dihentikan") == ["Absensi Guru"]
    assert names(unit=str(units["dinkes"].pk)) == ["Sistem Kepegawaian"]
    assert names(origin="national") == []
    assert names(sort="-name") == ["Sistem Kepegawaian", "Absensi Guru"]


# session, user, memberships (middleware + permission), unread notifications (the page shell),
# the unit filter's options, the count, the page of rows.
QUERIES = 7


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"lifecycle": "produksi"},
        {"kind": "khusus", "q": "aplikasi", "sort": "owner"},
        {"code": "RAL.02", "q": "aplikasi data", "sort": "-name", "page": "2"},
    ],
)
def test_list_query_count_is_pinned(
    client: Client, viewer, units, agency, refs, params, django_assert_num_queries
) -> None:
    for n in range(60):
        app = make_app(agency, units["dinkes" if n % 2 else "disdik"], f"Aplikasi {n:02d}")
        app.reference_codes.add(refs["RAL.02.04"])
    client.force_login(viewer)
    url = reverse("catalog:application_list")
    client.get(url)  # warm the session
    with django_assert_num_queries(QUERIES) as queries:
        response = client.get(url, params)
    assert len(response.context["page"]) == (10 if params.get("page") else 50)
    [page_sql] = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "catalog_application"' in q["sql"] and "COUNT(" not in q["sql"]
    ]
    columns = page_sql.split(" FROM ")[0]
    assert '"name"' in columns and '"description"' not in columns  # narrow rows, not wide texts
    assert "organizations_agency" not in page_sql  # sorted by name, not by the agency's name


def test_list_rows_show_owner_labels_and_national_tag(
    client: Client, viewer, units, agency
) -> None:
    srikandi = NationalApplication.objects.create(key="srikandi", name="SRIKANDI", owner="ANRI")
    make_app(agency, units["dinkes"], "SRIKANDI", national=srikandi, hosting="vendor")
    make_app(agency, units["disdik"], "Absensi Guru", decision="eliminate")
    client.force_login(viewer)
    response = client.get(reverse("catalog:application_list"))
    rows = {r["name"]: r for r in response.context["page"]}
    assert rows["SRIKANDI"]["national"] and not rows["Absensi Guru"]["national"]
    assert rows["SRIKANDI"]["owner"] == (units["dinkes"].acronym or units["dinkes"].name)
    with override("id"):
        assert rows["SRIKANDI"]["hosting_label"] == str(Hosting.VENDOR.label)
        assert rows["Absensi Guru"]["decision_label"] == str(Decision.ELIMINATE.label)
    assert rows["Absensi Guru"]["hosting_label"] == ""
    body = response.content.decode()
    detail = reverse("catalog:application_detail", args=[rows["SRIKANDI"]["pk"]])
    assert f'href="{detail}"' in body


def test_pages_of_a_sort_with_ties_neither_overlap_nor_skip(
    client: Client, viewer, units, agency
) -> None:
    # Every application has the same type and lifecycle: the name breaks the ties.
    names = {f"Aplikasi {n:03d}" for n in range(120)}
    for name in sorted(names, reverse=True):
        make_app(agency, units["dinkes"], name)
    client.force_login(viewer)
    url = reverse("catalog:application_list")
    for sort in ("kind", "-lifecycle", "owner"):
        seen = []
        for page in ("1", "2", "3"):
            seen += [
                r["name"] for r in client.get(url, {"sort": sort, "page": page}).context["page"]
            ]
        assert seen == sorted(names), sort


def test_exports_neutralise_formulas(client: Client, viewer, units, agency) -> None:
    make_app(agency, units["dinkes"], "=HYPERLINK(1)", description="@SUM(A1)")
    client.force_login(viewer)
    url = reverse("catalog:application_list")
    body = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body and "'@SUM(A1)" in body
    from openpyxl import load_workbook

    response = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=1).value == "'=HYPERLINK(1)"
    assert sheet.cell(row=1, column=1).value == "nama"


def test_service_create_links_applications(
    client: Client, dinkes_admin, units, dinkes_app, refs
) -> None:
    client.force_login(dinkes_admin)
    data = {
        "name": "Pemeriksaan Ibu Hamil",
        "kind": "publik",
        "description": "Pemeriksaan kehamilan di puskesmas",
        "owner_unit": units["dinkes"].pk,
        "applications": [dinkes_app.pk],
        "codes": "RAL.02.04",
        "is_public": "on",
    }
    response = client.post(reverse("catalog:service_create"), data)
    service = Service.objects.get(name="Pemeriksaan Ibu Hamil")
    assert response.url == reverse("catalog:service_detail", args=[service.pk])
    assert list(service.applications.all()) == [dinkes_app]
    data["owner_unit"] = units["disdik"].pk
    data["name"] = "Lain"
    response = client.post(reverse("catalog:service_create"), data)
    assert response.context["form"].errors["owner_unit"]


def test_admin_opd_may_not_edit_another_opds_service(
    client: Client, disdik_admin, dinkes_service
) -> None:
    client.force_login(disdik_admin)
    assert client.get(reverse("catalog:service_edit", args=[dinkes_service.pk])).status_code == 403


def test_coordinator_adds_a_level_three_code(client: Client, coordinator, refs, agency) -> None:
    client.force_login(coordinator)
    url = reverse("catalog:reference_create")
    parent = refs["RAL.02.04"].pk
    bad = client.post(url, {"parent": parent, "code": "RAB.01.01", "name": "Salah"})
    assert bad.status_code == 200 and bad.context["form"].errors
    response = client.post(url, {"parent": parent, "code": "ral.02.04.01", "name": "Presensi"})
    assert response.status_code == 302
    code = ReferenceCode.objects.get(agency=agency)
    assert (code.code, code.level, code.parent_id) == ("RAL.02.04.01", 3, parent)
    again = client.post(url, {"parent": parent, "code": "RAL.02.04.01", "name": "Lagi"})
    assert again.context["form"].errors
    listing = client.get(reverse("catalog:reference_list"))
    assert list(listing.context["codes"]) == [code]


@pytest.mark.parametrize("code", ["RAL.02.04.01.05", "RAL.02.04.X1", "RAL.02.04.1"])
def test_an_agency_code_is_exactly_one_level_under_its_parent(
    client: Client, coordinator, refs, agency, code
) -> None:
    # Stored as level 3, so it must be a level-3 code: three dots, as RAL.02.04.01.
    client.force_login(coordinator)
    url = reverse("catalog:reference_create")
    response = client.post(url, {"parent": refs["RAL.02.04"].pk, "code": code, "name": "Salah"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not ReferenceCode.objects.filter(agency=agency).exists()


def test_data_bank_elements_of_the_agency_are_linked(
    client: Client, coordinator, units, agency, other_agency, refs
) -> None:
    from padu.databank.models import CategoryCombo, DataElement

    combo = CategoryCombo.objects.get(code="default", agency=None)
    ours = DataElement.objects.create(
        agency=agency, code="GIZI", name="Balita gizi buruk", category_combo=combo
    )
    theirs = DataElement.objects.create(
        agency=other_agency, code="X", name="X", category_combo=combo
    )
    client.force_login(coordinator)
    url = reverse("catalog:application_create")
    bad = client.post(url, app_post(units["dinkes"], elements=[theirs.pk]))
    assert bad.context["form"].errors["elements"]
    response = client.post(url, app_post(units["dinkes"], elements=[ours.pk]))
    assert response.status_code == 302
    app = Application.objects.get(name="e-Posyandu")
    assert list(app.data_elements.all()) == [ours]
    detail = client.get(reverse("catalog:application_detail", args=[app.pk]))
    assert "Balita gizi buruk" in detail.content.decode()
