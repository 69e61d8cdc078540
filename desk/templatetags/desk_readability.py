from django import template

from desk.readability import article_reading_level

register = template.Library()


@register.simple_tag
def reading_level_of(article, sections):
    """{% reading_level_of article sections as level %}: the patient wording's reading level."""
    return article_reading_level(article, sections)
