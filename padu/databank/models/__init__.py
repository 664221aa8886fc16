from .jobs import ApiToken, ImportJob
from .metadata import (
    Boundary,
    Category,
    CategoryCombo,
    CategoryOption,
    DataElement,
    Dataset,
    DatasetElement,
    Option,
    OptionCombo,
    OptionSet,
    ValidationRule,
)
from .publishing import Dashboard, Release, ReleaseRow
from .values import (
    AggregateValue,
    DataValue,
    LockException,
    PendingRollup,
    Submission,
    ValueAudit,
)

__all__ = [
    "AggregateValue",
    "ApiToken",
    "Boundary",
    "Category",
    "CategoryCombo",
    "CategoryOption",
    "Dashboard",
    "DataElement",
    "DataValue",
    "Dataset",
    "DatasetElement",
    "ImportJob",
    "LockException",
    "Option",
    "OptionCombo",
    "OptionSet",
    "PendingRollup",
    "Release",
    "ReleaseRow",
    "Submission",
    "ValidationRule",
    "ValueAudit",
]
