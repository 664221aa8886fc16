from .evidence import Evidence, EvidenceFile, EvidenceLink
from .history import Peer, PublishedResult
from .instruments import Aspect, Criterion, Domain, Indicator, Instrument, Level
from .jobs import EvidenceBundle, ReminderLog
from .periods import Assessment, Comment, Period, StageWindow
from .planning import PlanStep, Recommendation, TargetPlan

__all__ = [
    "Aspect",
    "Assessment",
    "Comment",
    "Criterion",
    "Domain",
    "Evidence",
    "EvidenceBundle",
    "EvidenceFile",
    "EvidenceLink",
    "Indicator",
    "Instrument",
    "Level",
    "Peer",
    "Period",
    "PlanStep",
    "PublishedResult",
    "Recommendation",
    "ReminderLog",
    "StageWindow",
    "TargetPlan",
]
