"""What to read next: related news, latest news, previous/next in the movement.

Connects ``article_generator_finalized`` (after ``bulletin.site.movements`` has
grouped the articles) and sets on each published article:

- ``related``: the newest other articles sharing a movement (RELATED_COUNT);
- ``previous_in_movement`` / ``next_in_movement``: the older and newer
  neighbours in its first movement;

and ``latest_articles`` (the newest RELATED_COUNT) in the context for "Tin
khác". Movement lists are already newest first, so each article looks at no
more than a few items per movement: linear in the archive, not quadratic.
"""

from __future__ import annotations

from pelican import signals

from bulletin.content.ordering import newest_first

DEFAULTS = {"RELATED_COUNT": 5}


def related_articles(article, count: int) -> list:
    """Newest articles sharing a movement with ``article``, without it."""
    if count <= 0:  # RELATED_COUNT = 0 turns the box off
        return []
    seen, found = {id(article)}, []
    candidates = []
    for movement in getattr(article, "movements", []):
        # The newest count+1 of each movement always contain the answer.
        candidates.extend(movement.articles[: count + 1])
    for other in sorted(candidates, key=newest_first):
        if id(other) not in seen:
            seen.add(id(other))
            found.append(other)
        if len(found) == count:
            break
    return found


def link_articles(generator) -> None:
    count = generator.settings.get("RELATED_COUNT", DEFAULTS["RELATED_COUNT"])
    for movement in generator.context.get("movements", []):
        articles = movement.articles  # newest first
        for index, article in enumerate(articles):
            if article.movements and article.movements[0] is not movement:
                continue  # neighbours come from the article's first movement
            article.next_in_movement = articles[index - 1] if index > 0 else None
            article.previous_in_movement = (
                articles[index + 1] if index + 1 < len(articles) else None
            )
    for article in generator.articles:
        article.related = related_articles(article, count)
    generator.context["latest_articles"] = generator.articles[: count + 1]


def register() -> None:
    signals.article_generator_finalized.connect(link_articles)
