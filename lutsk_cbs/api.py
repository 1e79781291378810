from rest_framework.routers import DefaultRouter

from branches.api import BranchViewSet
from catalog.api import RecordViewSet

router = DefaultRouter()
router.register("branches", BranchViewSet, basename="branch")
router.register("records", RecordViewSet, basename="record")
