"""Public subscription pages: subscribe, confirm, unsubscribe."""

app_name = "digests"

urlpatterns: list = []
