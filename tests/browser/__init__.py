"""Site-quality tests: browser, HTML checker, links, weight (marker ``browser``)."""
