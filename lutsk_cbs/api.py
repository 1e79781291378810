from rest_framework.routers import DefaultRouter

from branches.api import BranchViewSet, PaidServiceViewSet
from catalog.api import RecordViewSet
from digital import api as digital_api
from egov import api as egov_api
from events import api as events_api
from lore import api as lore_api
from news import api as news_api
from reference import api as reference_api
from spaces import api as spaces_api
from volunteers import api as volunteers_api

router = DefaultRouter()
router.register("branches", BranchViewSet, basename="branch")
router.register("records", RecordViewSet, basename="record")
events_api.register(router)
volunteers_api.register(router)
egov_api.register(router)
router.register("paid-services", PaidServiceViewSet, basename="paid-service")
news_api.register(router)
reference_api.register(router)
lore_api.register(router)
digital_api.register(router)
spaces_api.register(router)
