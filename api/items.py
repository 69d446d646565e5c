"""Each versioned item's serializer, as its own endpoint shows it: one declared mapping.

The item viewsets (registered in api.urls) serve these serializers, and a
published draft answers with its item in the same shape; tests/api check
that the two agree.
"""

from __future__ import annotations

from claims.models import Claim
from events.models import Actor, Briefing, Development, Source, Story

from .claims import ClaimSerializer
from .serializers import BriefingSerializer, DevelopmentSerializer, StorySerializer
from .sources import ActorSerializer, SourceSerializer

ITEM_SERIALIZERS = {
    Story: StorySerializer,
    Development: DevelopmentSerializer,
    Claim: ClaimSerializer,
    Briefing: BriefingSerializer,
    Actor: ActorSerializer,
    Source: SourceSerializer,
}
