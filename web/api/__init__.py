"""The planner's JSON API, versioned under ``/api/v1`` and described by OpenAPI 3.1 at
``/api/openapi.json``.

The parts: :mod:`web.api.app` builds the app (:func:`create_app`) and the stand-alone server
(:func:`server_app`, ``make api``); :mod:`web.api.context` holds the store and the fitted models;
:mod:`web.api.limits` the limits (draws, body size, time, threads) and the thread pool of the
handlers that compute; :mod:`web.api.problems` the ``application/problem+json`` answers;
:mod:`web.api.schemas` the request bodies and :mod:`web.api.answers` the main answers' shapes; the routes per resource in :mod:`web.api.data`
(datasets, indicators), :mod:`web.api.engine` (levers, targets, projections, goal seek) and
:mod:`web.api.scenarios` (saved scenarios).
"""

from web.api.app import create_app, server_app

__all__ = ["create_app", "server_app"]
