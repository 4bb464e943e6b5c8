"""The REST API at /api/v1/: builds the NinjaAPI and adds every app's router.

Authentication, the error shape and the guard every operation passes live in `coproduce.core.api`.
"""

from __future__ import annotations

from coproduce.actions.api import router as actions_router
from coproduce.budgets.api import router as budgets_router
from coproduce.casestudies.api import router as casestudies_router
from coproduce.conversations.api import router as conversations_router
from coproduce.core.api import AUTH, CoproduceAPI
from coproduce.directory.api import router as directory_router
from coproduce.hub.api import router as hub_router
from coproduce.ideas.api import router as ideas_router
from coproduce.meetings.api import router as meetings_router
from coproduce.meetings.events_api import router as events_router
from coproduce.outcomes.api import router as outcomes_router
from coproduce.people.api import router as people_router
from coproduce.quality.api import impact_router
from coproduce.quality.api import router as quality_router
from coproduce.resources.api import router as resources_router
from coproduce.search.api import router as search_router
from coproduce.spaces.api import me_router as spaces_me_router
from coproduce.spaces.api import organisations_router as spaces_organisations_router
from coproduce.spaces.api import router as spaces_router
from coproduce.sroi.api import router as sroi_router
from coproduce.surveys.api import router as surveys_router
from coproduce.timebank.api import router as timebank_router

api = CoproduceAPI(
    title="coproduce API",
    version="1",
    description="Spaces, memberships, stages, organisations and your own profile. "
    "Authenticate with `Authorization: Bearer <token>` (make a token on your profile page).",
    auth=AUTH,
    urls_namespace="api",
)

api.add_router("/", people_router)
api.add_router("/", spaces_organisations_router)  # /organisations/{slug}/partner-requests...
api.add_router("/", spaces_me_router)  # /me/on-my-behalf...
api.add_router("/spaces", spaces_router)
api.add_router("/timebank", timebank_router)
api.add_router("/", ideas_router)
api.add_router("/", meetings_router)
api.add_router("/events", events_router)
api.add_router("/", actions_router)
api.add_router("/", budgets_router)
api.add_router("/quality", quality_router)
api.add_router("/", outcomes_router)
api.add_router("/", sroi_router)
api.add_router("/", surveys_router)
api.add_router("/", conversations_router)
api.add_router("/impact", impact_router)
api.add_router("/", directory_router)  # /directory/...
api.add_router("/", search_router)  # /search
api.add_router("/", hub_router)  # /posts...
api.add_router("/", casestudies_router)
api.add_router("/", resources_router)

from coproduce.notifications.api import home_router as notifications_home_router  # noqa: E402
from coproduce.notifications.api import router as notifications_router  # noqa: E402

api.add_router("/notifications", notifications_router)
api.add_router("/", notifications_home_router)  # /me/home
