"""What editors write: the content model's rules (pure), reading Markdown into
articles, sanitising their HTML, and checking every file before anything is
written."""
