from rest_framework.routers import DefaultRouter

from branches.api import BranchViewSet

router = DefaultRouter()
router.register("branches", BranchViewSet, basename="branch")
