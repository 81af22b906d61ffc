"""Running a build: the entry point (``main``), incremental rendering, the
reader cache, the atomic switch of ``output/``, and the commands around it
(preview, link check, publish, Vietnamese console)."""
