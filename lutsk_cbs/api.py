from rest_framework.routers import DefaultRouter

from branches.api import BranchViewSet
from catalog.api import RecordViewSet
from egov import api as egov_api
from events import api as events_api
from volunteers import api as volunteers_api

router = DefaultRouter()
router.register("branches", BranchViewSet, basename="branch")
router.register("records", RecordViewSet, basename="record")
events_api.register(router)
volunteers_api.register(router)
egov_api.register(router)
