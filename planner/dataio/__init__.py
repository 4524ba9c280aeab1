"""Dataset updates without a database: reading uploads, canonical content, export, diff, preview.

Modules, one concept each:

- :mod:`~planner.dataio.problems`: :class:`Problem` and its wording in both languages.
- :mod:`~planner.dataio.limits`: size limits of an upload.
- :mod:`~planner.dataio.csvtext`: checks of the raw text of a CSV file (encoding, delimiter,
  formulas, size).
- :mod:`~planner.dataio.canonical`: the canonical bytes of the data files and the content version.
- :mod:`~planner.dataio.archive`: reading a zip safely, writing one.
- :mod:`~planner.dataio.workbook`: reading and writing the Excel workbook.
- :mod:`~planner.dataio.schema`: the columns of every data file, described from the row models.
- :mod:`~planner.dataio.upload`: an upload (folder, zip, workbook or CSV of new observations) to a
  validated :class:`planner.dataset.Dataset`.
- :mod:`~planner.dataio.diff`: rows added, changed and removed between two datasets.
- :mod:`~planner.dataio.preview`: the headline numbers before and after.
- :mod:`~planner.dataio.credential`: the editor's credential.
- :mod:`~planner.dataio.datapackage`: ``data/datapackage.json`` (Frictionless Table Schema).

Nothing here imports streamlit or touches a database.
"""
