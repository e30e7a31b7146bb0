"""The JSON API under /api/v1/: one NinjaAPI, with a router per domain app.

See docs/api.md for authentication, errors and paging. The endpoints that answer a plan's
figures live in layers below publishing; they are handed here the one decision of who reads
the detail and who reads the latest published release (`publishing.selectors.reading_for`,
docs/publishing.md "The API and the workbook").
"""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

from wpsmonitor.accountability.api import router as accountability_router
from wpsmonitor.boards.api import router as boards_router
from wpsmonitor.conduct.api import router as conduct_router
from wpsmonitor.core.api import BoundedJsonParser, install_error_handlers
from wpsmonitor.earlywarning.api import router as earlywarning_router
from wpsmonitor.fieldcollection.api import router as fieldcollection_router
from wpsmonitor.finance.api import router as finance_router
from wpsmonitor.iati.api import router as iati_router
from wpsmonitor.indicators.api import figures_router as indicator_figures_router
from wpsmonitor.indicators.api import router as indicators_router
from wpsmonitor.indicators.catalogue_api import router as catalogues_router
from wpsmonitor.indicators.framework_api import router as framework_router
from wpsmonitor.localisation.api import router_for as localisation_router_for
from wpsmonitor.missions.api import router_for as missions_router_for
from wpsmonitor.oversight.api import router as oversight_router
from wpsmonitor.peace.api import router as peace_router
from wpsmonitor.plans.api import router as plans_router
from wpsmonitor.portal.api import router as translations_router
from wpsmonitor.publishing.api import router as publishing_router
from wpsmonitor.publishing.selectors import reading_for
from wpsmonitor.quality.api import router as quality_router
from wpsmonitor.reporting.api import router as reporting_router
from wpsmonitor.reports.api import router as reports_router
from wpsmonitor.revisions.api import router as revisions_router
from wpsmonitor.scorecard.api import router_for as scorecard_router_for
from wpsmonitor.security.api import router as security_router
from wpsmonitor.shadow.api import figures_router as shadow_figures_router
from wpsmonitor.shadow.api import router as shadow_router
from wpsmonitor.stories.api import router as stories_router

api = NinjaAPI(
    title="WPS Monitor API",
    version="1",
    urls_namespace="api-v1",
    openapi_url="/schema",
    docs_url="/docs",
    # No call to Swagger's public validator (its default): the page works offline and tells no
    # third party about the schema.
    docs=Swagger(settings={"validatorUrl": None}),
    parser=BoundedJsonParser(),
)
install_error_handlers(api)
# Before the plans router: its "/{plan}" would take "quality" for a plan code.
api.add_router("/plans", quality_router)
api.add_router("/plans", plans_router)
api.add_router("/plans", translations_router)
api.add_router("/plans", framework_router)
api.add_router("/plans", indicators_router)
api.add_router("/plans", indicator_figures_router(reading_for))
api.add_router("", reporting_router)
api.add_router("", shadow_router)
api.add_router("", shadow_figures_router(reading_for))
api.add_router("", accountability_router)
api.add_router("", boards_router)
api.add_router("", finance_router)
api.add_router("", earlywarning_router)
api.add_router("", conduct_router)
api.add_router("", iati_router)
api.add_router("", scorecard_router_for(reading_for))
api.add_router("", localisation_router_for(reading_for))
api.add_router("", publishing_router)
api.add_router("", reports_router)
api.add_router("", catalogues_router)
api.add_router("", stories_router)
api.add_router("", fieldcollection_router)
api.add_router("", security_router)
api.add_router("", peace_router)
api.add_router("", revisions_router)
api.add_router("", missions_router_for(reading_for))
api.add_router("", oversight_router)
