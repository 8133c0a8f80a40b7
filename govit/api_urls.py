from rest_framework.routers import DefaultRouter

from agencies.api import AgencyViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("agencies", AgencyViewSet, basename="agency")

urlpatterns = router.urls
