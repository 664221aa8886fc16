from .planning import Initiative, Proposal
from .reference import NationalApplication, ReferenceCode, ReferenceVersion
from .register import Application, Contact, Integration, Service

__all__ = [
    "Application",
    "Contact",
    "Initiative",
    "Integration",
    "NationalApplication",
    "Proposal",
    "ReferenceCode",
    "ReferenceVersion",
    "Service",
]
