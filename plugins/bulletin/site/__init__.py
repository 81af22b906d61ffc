"""Pages and files beyond Pelican's own: movements, related news, redirects,
feeds, the JSON API, sitemap, structured data, search, security headers."""
