"""Photos: the plan of derivatives (pure), making them (I/O, cached), the
``<picture>`` markup (pure), and the signal glue that ties them to a build."""
