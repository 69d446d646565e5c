"""API routes for subscriptions and their deliveries."""

urlpatterns: list = []
