"""API routes for subscriptions and their deliveries (mounted at /api/subscriptions/)."""

from rest_framework.routers import SimpleRouter

from .api import SubscriptionViewSet

router = SimpleRouter()
router.register("", SubscriptionViewSet, basename="subscription")

urlpatterns = router.urls
