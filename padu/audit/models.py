"""The append-only change log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    LOGIN = "login", _("Signed in")
    LOGOUT = "logout", _("Signed out")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AuditEvent(models.Model):
    """One recorded change: who, when, through which request, values before and after."""

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        # DO_NOTHING without a database constraint: deleting a user must not touch
        # audit rows (the trigger refuses updates); actor_repr keeps the name.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_repr = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)
    request_method = models.CharField(_("method"), max_length=8, blank=True)
    request_path = models.CharField(_("path"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-created_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

    @property
    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field whose value differs."""
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
