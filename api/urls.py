"""The REST API under /api/: read by anyone, written by editors, described at /api/schema/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from . import log
from .changefeed import ChangeFeedView
from .claims import ClaimViewSet
from .drafts import DraftViewSet
from .root import ApiRootView
from .search import SearchView
from .sources import ActorViewSet, SourceViewSet
from .subscriptions import SubscriptionViewSet
from .views import BriefingViewSet, DevelopmentViewSet, StoryViewSet

router = SimpleRouter()
router.register("stories", StoryViewSet, basename="api-story")
router.register("developments", DevelopmentViewSet, basename="api-development")
router.register("claims", ClaimViewSet, basename="api-claim")
router.register("briefings", BriefingViewSet, basename="api-briefing")
router.register("actors", ActorViewSet, basename="api-actor")
router.register("sources", SourceViewSet, basename="api-source")
router.register("subscriptions", SubscriptionViewSet, basename="subscription")
router.register("drafts", DraftViewSet, basename="api-draft")

urlpatterns = [
    # First: pollers ask it most, and Django tries the patterns in order.
    path("changes/", ChangeFeedView.as_view(), name="api-changes"),
    path("", ApiRootView.as_view(), name="api-root"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("search/", SearchView.as_view(), name="api-search"),
    path("log/checkpoint", log.CheckpointView.as_view(), name="api-log-checkpoint"),
    path("log/key", log.KeyView.as_view(), name="api-log-key"),
    path("log/leaves/", log.LeavesView.as_view(), name="api-log-leaves"),
    path("log/leaves/<int:index>", log.LeafView.as_view(), name="api-log-leaf"),
    path("log/proof/inclusion", log.InclusionProofView.as_view(), name="api-log-inclusion"),
    path("log/proof/consistency", log.ConsistencyProofView.as_view(), name="api-log-consistency"),
    *router.urls,
]
