from .evidence import Evidence, EvidenceFile, EvidenceLink
from .instruments import Aspect, Criterion, Domain, Indicator, Instrument, Level
from .periods import Assessment, Comment, Period, StageWindow

__all__ = [
    "Aspect",
    "Assessment",
    "Comment",
    "Criterion",
    "Domain",
    "Evidence",
    "EvidenceFile",
    "EvidenceLink",
    "Indicator",
    "Instrument",
    "Level",
    "Period",
    "StageWindow",
]
