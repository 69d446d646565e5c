"""The declared item serializers (api.items) are the ones the item endpoints serve."""

from api.items import ITEM_SERIALIZERS
from api.urls import router
from record.registry import models_with_services


def test_every_item_endpoint_serves_the_declared_serializer_of_its_model():
    served = {}
    for _prefix, viewset, _basename in router.registry:
        serializer_class = getattr(viewset, "serializer_class", None)
        model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        if model in ITEM_SERIALIZERS:
            served[model] = serializer_class
    assert served == ITEM_SERIALIZERS


def test_every_item_a_draft_may_change_has_a_declared_serializer():
    assert set(models_with_services()) <= set(ITEM_SERIALIZERS)
