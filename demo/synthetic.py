"""Synthetic approved articles in bulk, for scale and speed work.

Articles go in batches, each in its own transaction with bulk inserts, so memory stays
bounded whatever the count. They are spread over several topics, with varied wording drawn
from a small vocabulary per topic, so that topic pages, search and ranking behave as they
would on a real catalogue. The text is deterministic: article ``n`` is always the same.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.db import connection, reset_queries, transaction
from django.utils import timezone

from articles.models import Article, EvidenceSection, Revision, SectionKind, Statement, Topic
from articles.snapshots import SNAPSHOT_SCHEMA, content_hash, reference_entry
from citations.models import Citation, Reference

STATEMENTS_PER_SECTION = 3
SYNTHETIC_PREFIX = "synthetic-"
BATCH_SIZE = 2000
# One article in RARE_EVERY names a rare condition: benchmarks search for it.
RARE_EVERY = 1000
RARE_WORD = "myokymia"

# name, slug, subjects readers ask about
TOPICS = (
    ("Muscle cramps", "muscle-cramps", ("leg cramps", "night cramps", "calf cramps", "cramps")),
    ("Sleep", "sleep", ("insomnia", "snoring", "jet lag", "naps")),
    ("Nutrition", "nutrition", ("vitamin D", "magnesium", "iron", "fibre", "caffeine")),
    ("Heart health", "heart-health", ("blood pressure", "cholesterol", "palpitations")),
    ("Skin", "skin", ("eczema", "acne", "sunburn", "dry skin")),
    ("Joints and bones", "joints-and-bones", ("knee pain", "back pain", "osteoporosis")),
    ("Children's health", "childrens-health", ("fever in children", "teething", "croup")),
    ("Mental health", "mental-health", ("anxiety", "low mood", "stress")),
)
QUESTIONS = (
    "What helps with {subject} {context}?",
    "Is {subject} {context} a reason to see a doctor?",
    "Does exercise make {subject} better or worse {context}?",
    "Can diet change {subject} {context}?",
    "How long does {subject} usually last {context}?",
    "Which treatments for {subject} {context} are backed by evidence?",
)
CONTEXTS = (
    "in older adults",
    "during pregnancy",
    "after running",
    "at night",
    "in teenagers",
    "when travelling",
    "in winter",
    "after surgery",
    "in people with diabetes",
    "while breastfeeding",
)
OPENINGS = (
    "Most cases of {subject} are mild and settle on their own.",
    "Good trials on {subject} are few, but the guidance is consistent.",
    "Simple measures help many people with {subject}.",
    "{Subject} is common, and usually harmless.",
)
CLAIMS = (
    "Regular gentle stretching reduced symptoms in a randomised trial.",
    "Hydration alone did not change outcomes in the largest study.",
    "Guidelines advise against routine supplements without a measured deficiency.",
    "A review of observational studies found a modest association with sedentary habits.",
    "Symptoms that wake you every night deserve a check-up with your doctor.",
    "Medicines can cause it as a side effect; a pharmacist can review them.",
    "Heat and massage give short-term relief for many people.",
    "Evidence for magnesium is weak outside pregnancy.",
    "Sudden severe pain with swelling needs urgent medical attention.",
    "Most people improve within a few weeks without treatment.",
    "Caffeine and alcohol late in the day made symptoms worse in a cohort study.",
    "Children should not take aspirin for this.",
)


def _topics() -> list[tuple[Topic, tuple[str, ...]]]:
    topics = []
    for name, slug, subjects in TOPICS:
        topic, _ = Topic.objects.get_or_create(slug=slug, defaults={"name": name})
        topics.append((topic, subjects))
    return topics


def _wording(number: int, subjects: tuple[str, ...]) -> tuple[str, str, list[str]]:
    """Question, summary and statements for article ``number``, the same on every run."""
    chance = random.Random(number)
    subject, context = chance.choice(subjects), chance.choice(CONTEXTS)
    title = chance.choice(QUESTIONS).format(subject=subject, context=context)
    title = f"{title[:-1]} (#{number})?"
    opening = chance.choice(OPENINGS).format(subject=subject, Subject=subject.capitalize())
    claims = chance.sample(CLAIMS, 2 * STATEMENTS_PER_SECTION)
    if number % RARE_EVERY == 0:
        claims[0] = f"Eyelid {RARE_WORD} is usually benign. " + claims[0]
    summary = f"{opening} **{chance.choice(claims)}**"
    return title, summary, claims


def synthetic_articles_create(
    *, count: int, author, batch_size: int = BATCH_SIZE, topic_count: int = len(TOPICS)
) -> int:
    """Add `count` approved articles, each with two cited sections, in bulk-insert batches.

    They are spread over the first ``topic_count`` synthetic topics.
    """
    references = [
        (reference.pk, reference_entry(reference))
        for reference in Reference.objects.not_retracted().order_by("pk")[:12]
    ]
    kinds = list(SectionKind.objects.order_by("order", "pk")[:2])
    if not references or not kinds:
        raise ValueError("Run seed_demo first: synthetic articles cite the demo references.")
    topics = _topics()[: max(1, topic_count)]
    start = Article.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count()
    author_entry = {"name": author.get_full_name() or author.get_username()}
    made = 0
    while made < count:
        size = min(batch_size, count - made)
        _batch_create(
            numbers=range(start + made + 1, start + made + size + 1),
            author=author,
            author_entry=author_entry,
            topics=topics,
            kinds=kinds,
            references=references,
        )
        made += size
        if settings.DEBUG and not connection.force_debug_cursor:
            # DEBUG keeps the last 9,000 queries; bulk inserts are long: keep memory bounded.
            reset_queries()
    return made


@transaction.atomic
def _batch_create(*, numbers, author, author_entry, topics, kinds, references) -> None:
    now = timezone.now()
    due = now + timedelta(days=settings.VETTED_REVIEW_INTERVAL_DAYS)
    plan = []
    articles = []
    for number in numbers:
        topic, subjects = topics[number % len(topics)]
        title, summary, claims = _wording(number, subjects)
        plan.append((topic, claims))
        articles.append(
            Article(
                slug=f"{SYNTHETIC_PREFIX}{number}",
                title=title,
                topic=topic,
                summary=summary,
                status=Article.Status.APPROVED,
                # Spread over a year, so "latest" lists and sitemaps have a real order.
                last_reviewed_at=now - timedelta(minutes=number % 525_600),
                next_review_due=due,
            )
        )
    Article.objects.bulk_create(articles)
    Article.authors.through.objects.bulk_create(
        [Article.authors.through(article_id=a.pk, user_id=author.pk) for a in articles]
    )
    sections = EvidenceSection.objects.bulk_create(
        [
            EvidenceSection(article=a, kind=kind, heading=kind.default_heading, order=order)
            for a in articles
            for order, kind in enumerate(kinds)
        ]
    )
    statements = []
    for index, section in enumerate(sections):
        claims = plan[index // len(kinds)][1]
        offset = (index % len(kinds)) * STATEMENTS_PER_SECTION
        statements.extend(
            Statement(
                section=section,
                style=Statement.Style.BULLET,
                order=order,
                text=claims[offset + order],
            )
            for order in range(STATEMENTS_PER_SECTION)
        )
    Statement.objects.bulk_create(statements)
    cited = [references[(s.pk * 7 + s.order) % len(references)] for s in statements]
    Citation.objects.bulk_create(
        [
            Citation(statement=statement, reference_id=reference_pk, order=0)
            for statement, (reference_pk, _) in zip(statements, cited, strict=True)
        ]
    )

    revisions = []
    per_article = len(kinds) * STATEMENTS_PER_SECTION
    for index, article in enumerate(articles):
        topic = plan[index][0]
        snapshot_sections, snapshot_references = [], {}
        for s_index in range(len(kinds)):
            section = sections[index * len(kinds) + s_index]
            rows = []
            for order in range(STATEMENTS_PER_SECTION):
                at = index * per_article + s_index * STATEMENTS_PER_SECTION + order
                statement, (reference_pk, entry) = statements[at], cited[at]
                snapshot_references.setdefault(str(reference_pk), entry)
                rows.append(
                    {
                        "id": statement.pk,
                        "style": statement.style,
                        "text": statement.text,
                        "variants": {},
                        "citations": [str(reference_pk)],
                    }
                )
            snapshot_sections.append(
                {
                    "id": section.pk,
                    "kind": section.kind.slug,
                    "kind_name": section.kind.name,
                    "heading": section.heading,
                    "statements": rows,
                }
            )
        snapshot = {
            "schema": SNAPSHOT_SCHEMA,
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "summary_variants": {},
            "topic": {"name": topic.name, "slug": topic.slug},
            "authors": [author_entry],
            "sections": snapshot_sections,
            "references": snapshot_references,
        }
        revisions.append(
            Revision(
                article=article,
                number=1,
                snapshot=snapshot,
                content_hash=content_hash(snapshot),
                title=article.title,
                topic=topic,
                contributor_ids=[author.pk],
                created_by=author,
            )
        )
    Revision.objects.bulk_create(revisions)
    for article, revision in zip(articles, revisions, strict=True):
        article.live_revision = article.displayed_revision = revision
        # bulk_update skips save(), which copies these for every other door.
        article.listing_title, article.listing_topic_id = revision.title, revision.topic_id
    Article.objects.bulk_update(
        articles,
        ["live_revision", "displayed_revision", "listing_title", "listing_topic"],
        batch_size=500,
    )
